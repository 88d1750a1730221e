// `sandbox up` and `sandbox demo` take their address ranges from a flag, else from
// $CONDUIT_SANDBOX_POD_CIDR / $CONDUIT_SANDBOX_SERVICE_CIDR (how the runbook tests run a runbook's
// plain `sandbox up` in their own range), else the defaults — in process, with recording runners.
import { describe, expect, it } from 'vitest';
import type { Factory } from '../../src/cli/factory.js';
import { defineSandboxCommand, type SandboxUpOptions } from '../../src/commands/sandbox/index.js';
import type { SandboxDemoOptions } from '../../src/commands/sandbox/demo.js';
import { runInProcess } from '../support/cli/index.js';

function recording() {
  const ups: SandboxUpOptions[] = [];
  const demos: SandboxDemoOptions[] = [];
  const commands = (f: Factory) => [defineSandboxCommand(f, { up: async (_s, o) => void ups.push(o), demo: async (_s, o) => void demos.push(o) })];
  return { ups, demos, commands };
}

describe('sandbox address ranges', () => {
  it('default to 127.0.100.0/24 and 127.0.101.0/24', async () => {
    const { ups, commands } = recording();
    expect((await runInProcess(['sandbox', 'up'], { commands })).code).toBe(0);
    expect(ups[0]!.podCidr).toMatch(/^127\.0\.100\.0\/24$/);
    expect(ups[0]!.serviceCidr).toMatch(/^127\.0\.101\.0\/24$/);
  });

  it('come from the environment when no flag is given, for up and demo alike', async () => {
    const { ups, demos, commands } = recording();
    const env = { CONDUIT_SANDBOX_POD_CIDR: '127.49.1.0/24', CONDUIT_SANDBOX_SERVICE_CIDR: '127.49.2.0/24' };
    expect((await runInProcess(['sandbox', 'up'], { commands, env })).code).toBe(0);
    expect((await runInProcess(['sandbox', 'demo'], { commands, env })).code).toBe(0);
    expect(ups[0]).toMatchObject({ podCidr: '127.49.1.0/24', serviceCidr: '127.49.2.0/24' });
    expect(demos[0]!.upArgs).toEqual(['--pod-cidr', '127.49.1.0/24', '--service-cidr', '127.49.2.0/24']);
  });

  it('a flag wins over the environment', async () => {
    const { ups, commands } = recording();
    const env = { CONDUIT_SANDBOX_POD_CIDR: '127.49.1.0/24' };
    expect((await runInProcess(['sandbox', 'up', '--pod-cidr', '127.49.9.0/24'], { commands, env })).code).toBe(0);
    expect(ups[0]!.podCidr).toBe('127.49.9.0/24');
  });

  it('a bad value in the environment exits 2 naming the variable, and nothing starts', async () => {
    const { ups, commands } = recording();
    const result = await runInProcess(['sandbox', 'up'], { commands, env: { CONDUIT_SANDBOX_SERVICE_CIDR: '10.0.0.0/8' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('$CONDUIT_SANDBOX_SERVICE_CIDR: "10.0.0.0/8" must be a loopback CIDR');
    expect(ups).toHaveLength(0);
  });
});
