import { describe, expect, it } from 'vitest';
import { GATEWAY_DEFAULTS, parseGatewayArgs, UsageError, type GatewayCommand } from '../../src/reference-gateway/index.js';

const noFiles = (path: string): string => {
  throw Object.assign(new Error(`no ${path}`), { code: 'ENOENT' });
};

function parse(argv: string[], env: Record<string, string> = {}, readFile = noFiles): GatewayCommand {
  return parseGatewayArgs(argv, env, readFile);
}

describe('parseGatewayArgs', () => {
  it("uses Conduit's defaults", () => {
    expect(parse([])).toEqual({
      kind: 'single',
      options: {
        name: 'conduit-0',
        bind: '127.0.0.1',
        port: 9088,
        adminPort: 9087,
        tickMs: 1000,
        maxConnections: 0,
        closeTimeoutMs: 2000,
        shutdownDeadlineMs: 30000,
        adminToken: undefined,
        enableFaults: false,
        faults: {},
      },
    });
    expect(GATEWAY_DEFAULTS.port).toBe(9088);
  });

  it('reads POD_NAME, POD_IP and CONDUIT_ADMIN_TOKEN, and flags win over env', () => {
    const env = { POD_NAME: 'conduit-4', POD_IP: '127.0.30.4', CONDUIT_ADMIN_TOKEN: 'tok' };
    expect(parse([], env)).toMatchObject({ options: { name: 'conduit-4', bind: '127.0.30.4', adminToken: 'tok' } });
    expect(parse(['--name', 'x-1', '--bind', '127.0.30.9'], env)).toMatchObject({ options: { name: 'x-1', bind: '127.0.30.9' } });
  });

  it('reads the admin token from a file, trimmed, in preference to the env', () => {
    const command = parse(['--admin-token-file', '/etc/token'], { CONDUIT_ADMIN_TOKEN: 'env' }, () => 'file-token\n');
    expect(command).toMatchObject({ options: { adminToken: 'file-token' } });
  });

  it('parses every numeric flag', () => {
    const argv = ['--port', '0', '--admin-port', '0', '--tick-ms', '0', '--max-connections', '10', '--close-timeout-ms', '50', '--shutdown-deadline-ms', '5'];
    expect(parse(argv)).toMatchObject({
      options: { port: 0, adminPort: 0, tickMs: 0, maxConnections: 10, closeTimeoutMs: 50, shutdownDeadlineMs: 5 },
    });
  });

  it('builds a fleet with --instances', () => {
    expect(parse(['--instances', '3', '--base-ip', '127.0.10.1', '--name-prefix', 'gw', '--port', '0'])).toMatchObject({
      kind: 'fleet',
      count: 3,
      options: { baseIp: '127.0.10.1', namePrefix: 'gw', port: 0 },
    });
    expect(parse(['--instances', '2'], { POD_NAME: 'ignored', POD_IP: '10.0.0.1' })).toMatchObject({
      options: { baseIp: '127.0.1.1', namePrefix: 'conduit' },
    });
  });

  it('takes initial faults with --enable-faults', () => {
    const command = parse(['--enable-faults', '--fault', 'health=hang', '--fault', 'metrics={"active":"0"}', '--fault', 'drain=ignore']);
    expect(command).toMatchObject({ options: { enableFaults: true, faults: { health: 'hang', metrics: { active: '0' }, drain: 'ignore' } } });
  });

  it('shows help', () => {
    expect(parse(['--help'])).toEqual({ kind: 'help' });
    expect(parse(['-h'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--port', 'abc'], /--port must be a non-negative integer/],
    [['--port', '-1'], /--port/],
    [['--port', '70000'], /between 0 and 65535/],
    [['--tick-ms', '1.5'], /--tick-ms/],
    [['--port', '9000', '--admin-port', '9000'], /must differ/],
    [['--bind', 'not-an-ip'], /--bind must be an IP address/],
    [['--name', 'bad name'], /--name must be/],
    [['--name', 'a/..'], /--name must be/],
    [['--unknown'], /Unknown option/],
    [['positional'], /positional/],
    [['--instances', '0'], /--instances must be between/],
    [['--instances', '3', '--name', 'x'], /--name does not apply with --instances/],
    [['--instances', '3', '--bind', '127.0.0.1'], /--bind does not apply/],
    [['--base-ip', '127.0.0.1'], /only applies with --instances/],
    [['--instances', '3', '--base-ip', '255.255.255.254'], /--base-ip/],
    [['--fault', 'health=hang'], /--fault needs --enable-faults/],
    [['--enable-faults', '--fault', 'health'], /key=value/],
    [['--enable-faults', '--fault', 'health=explode'], /--fault: health must be/],
    [['--enable-faults', '--fault', 'metrics={bad'], /not valid JSON/],
    [['--admin-token-file', '/missing'], /cannot read --admin-token-file \/missing: ENOENT/],
  ])('rejects %j', (argv, message) => {
    expect(() => parse(argv)).toThrow(UsageError);
    expect(() => parse(argv)).toThrow(message);
  });

  it('rejects an empty token file without echoing anything from it', () => {
    expect(() => parse(['--admin-token-file', '/t'], {}, () => '  \n')).toThrow('--admin-token-file /t is empty');
  });
});
