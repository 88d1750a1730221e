// The completer over the real command tree (buildProgram), with live names from an in-memory source
// that records what it was asked: which kind, and the scope (kubeconfig/context/namespace/fleet)
// the typed line points at.
import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { complete, type NameScope } from '../../src/cli/completion/complete.js';
import { DIRECTIVE, formatCompletion } from '../../src/cli/completion/protocol.js';
import { completeValuesAs, type LiveKind } from '../../src/cli/completion/value-kinds.js';
import { runCli } from '../../src/cli/run.js';
import { FakeFleet, fakeInstances } from '../support/fakes/index.js';
import { testFactory } from '../support/cli/index.js';

const NAMES: Record<LiveKind, string[]> = {
  pods: ['conduit-0', 'conduit-1', 'other-0'],
  targets: ['conduit-0', 'conduit-1', 'other-0', 'sts/conduit'],
  statefulsets: ['sts/conduit'],
  contexts: ['sandbox', 'prod'],
  namespaces: ['conduit', 'default'],
};

function completer() {
  const asked: Array<{ kind: LiveKind; scope: NameScope }> = [];
  const program = buildProgram(testFactory().factory);
  const run = async (line: string) => {
    const words = line.split(' ');
    const result = await complete(program, words.slice(0, -1), words[words.length - 1]!, async (kind, scope) => {
      asked.push({ kind, scope });
      return NAMES[kind];
    });
    return { values: result.candidates.map((c) => c.value), directive: result.directive, candidates: result.candidates };
  };
  return { run, asked, program };
}

describe('__complete over the command tree', () => {
  it('commands of the program and of a command with subcommands, with their summaries', async () => {
    const { run } = completer();
    const top = await run('');
    expect(top.values).toEqual(expect.arrayContaining(['status', 'drain', 'scale', 'verify-sticky', 'sandbox', 'completion', 'options']));
    expect(top.candidates.find((c) => c.value === 'drain')?.description).toMatch(/drain gateway instances/);
    expect(top.directive).toBe(DIRECTIVE.noFileComp);
    expect((await run('st')).values).toEqual(['status']);
    expect((await run('sandbox ')).values).toEqual(['up', 'down', 'status', 'demo', 'help']);
    expect((await run('sandbox d')).values).toEqual(['down', 'demo']);
    expect((await run('__compl')).values).toEqual([]);
    expect((await run('help sc')).values).toEqual(['scale']);
    expect((await run('sandbox help ')).values).toEqual(['up', 'down', 'status', 'demo']);
  });

  it('flags: the command’s own, the global ones, long and short; a flag given once is not offered again', async () => {
    const { run } = completer();
    const drain = await run('drain --');
    expect(drain.values).toEqual(expect.arrayContaining(['--then', '--allow-last', '--kubeconfig', '--namespace', '--output', '--via', '--admin-port']));
    expect(drain.values).not.toContain('--stable-polls');
    expect((await run('drain -')).values).toEqual(expect.arrayContaining(['-l', '-n', '-o', '--timeout']));
    expect((await run('drain --local --lo')).values).toEqual(['--local-url']);
    expect((await run('sandbox up --')).values).toEqual(expect.arrayContaining(['--replicas', '--pod-cidr', '--state-dir', '--kubeconfig']));
    expect((await run('-v -v --verb')).values).toEqual(['--verbose']);
  });

  it('flag values: choices after the flag, after -o, and in the --flag= form', async () => {
    const { run } = completer();
    expect((await run('status -o ')).values).toEqual(['table', 'wide', 'json', 'yaml']);
    expect((await run('status -o j')).values).toEqual(['json']);
    expect((await run('status --output=y')).values).toEqual(['--output=yaml']);
    expect((await run('drain conduit-0 --then ')).values).toEqual(['none', 'evict', 'delete']);
    expect((await run('drain --then=e')).values).toEqual(['--then=evict']);
    expect((await run('status --via ')).values).toEqual(['auto', 'proxy', 'direct']);
    expect((await run('completion ')).values).toEqual(['bash', 'zsh', 'fish']);
    expect((await run('scale sts/conduit --replicas ')).values).toEqual([]);
  });

  it('files and directories are left to the shell: --fleet, --kubeconfig (default), --state-dir (directories)', async () => {
    const { run } = completer();
    expect(await run('status --fleet ')).toMatchObject({ values: [], directive: DIRECTIVE.default });
    expect(await run('status --kubeconfig=')).toMatchObject({ values: [], directive: DIRECTIVE.default });
    expect(await run('sandbox up --state-dir ')).toMatchObject({ values: [], directive: DIRECTIVE.filterDirs });
    expect(await run('verify-sticky ')).toMatchObject({ values: [], directive: DIRECTIVE.noFileComp });
  });

  it('live names: targets of status/drain, sts/ for scale, pods for --remove after a comma, contexts and namespaces', async () => {
    const { run, asked } = completer();
    expect((await run('status ')).values).toEqual(NAMES.targets);
    expect((await run('status conduit-0 c')).values).toEqual(['conduit-0', 'conduit-1']);
    expect((await run('drain sts/')).values).toEqual(['sts/conduit']);
    expect((await run('scale ')).values).toEqual(['sts/conduit']);
    expect((await run('scale sts/conduit --replicas 2 --remove conduit-0,c')).values).toEqual(['conduit-0,conduit-0', 'conduit-0,conduit-1']);
    expect((await run('status --context ')).values).toEqual(['sandbox', 'prod']);
    expect((await run('status -n d')).values).toEqual(['default']);
    expect(asked.map((a) => a.kind)).toEqual(['targets', 'targets', 'targets', 'statefulsets', 'pods', 'contexts', 'namespaces']);
  });

  it('live names come from where the typed line points: --kubeconfig, --context, -n, -nNS, --fleet, --request-timeout', async () => {
    const { run, asked } = completer();
    await run('--kubeconfig /k.yaml status --context prod -n rtc ');
    await run('status -nrealtime --namespace=other ');
    await run('drain --fleet fleet.yaml --request-timeout 3s c');
    expect(asked.map((a) => a.scope)).toEqual([
      { kubeconfig: '/k.yaml', context: 'prod', namespace: 'rtc' },
      { namespace: 'other' },
      { fleet: 'fleet.yaml', requestTimeout: '3s' },
    ]);
  });

  it('no live lookup when completing commands, flags or choices', async () => {
    const { run, asked } = completer();
    await run('');
    await run('status -');
    await run('status -o ');
    expect(asked).toEqual([]);
  });

  it('after --, everything is an operand', async () => {
    const { run } = completer();
    expect((await run('status -- -')).values).toEqual([]);
  });

  it('commands and flags added to the tree later are completed with no change to the completer', async () => {
    const { run, program } = completer();
    const later = new Command('reshard').summary('spread connections').argument('<statefulset>');
    later.addOption(new Option('--strategy <name>', 'how').choices(['drain', 'migrate']));
    later.addOption(completeValuesAs(new Option('--peer <pod>', 'a pod'), { kind: 'pods' }));
    later.addOption(new Option('--to <pods...>', 'receivers'));
    program.addCommand(later);
    expect((await run('resh')).values).toEqual(['reshard']);
    expect((await run('reshard --strategy ')).values).toEqual(['drain', 'migrate']);
    expect((await run('reshard --peer o')).values).toEqual(['other-0']);
    expect((await run('reshard ')).values).toEqual(['sts/conduit']);
    // A variadic option takes every word up to the next flag.
    expect((await run('reshard sts/conduit --to conduit-0 c')).values).toEqual(['conduit-0', 'conduit-1']);
    expect((await run('reshard --to conduit-0 --str')).values).toEqual(['--strategy']);
  });

  it('the protocol: value<TAB>description lines, then :directive', () => {
    expect(formatCompletion({ candidates: [{ value: 'status', description: 'show\n each' }, { value: 'json' }], directive: 4 })).toBe('status\tshow each\njson\n:4\n');
  });

  it('runCli answers __complete before parsing, on stdout only, and exits 0', async () => {
    const { factory, out, err } = testFactory();
    const code = await runCli(['__complete', 'status', '--help', '--output', 'w'], factory);
    expect(code).toBe(0);
    expect(out.text()).toBe('wide\n:4\n');
    expect(err.text()).toBe('');
  });

  it('live names through the adapters: the cluster lists asked with the kubeconfig, context and namespace typed', async () => {
    const { factory, out, log } = testFactory({ env: { KUBECONFIG: '/env/config' }, world: { kubeNames: { pods: ['conduit-0', 'conduit-1'], statefulsets: ['conduit'] } } });
    await runCli(['__complete', 'status', '--context', 'prod', '-n', 'rtc', ''], factory);
    expect(out.text()).toBe('conduit-0\nconduit-1\nsts/conduit\n:4\n');
    expect(log.kubeNames.map((r) => r.kind).sort()).toEqual(['pods', 'statefulsets']);
    expect(log.kubeNames[0]!.config).toMatchObject({ context: 'prod', namespace: 'rtc', env: { KUBECONFIG: '/env/config' } });
  });

  it('live names of a --fleet file through the static-fleet adapter; a failing lookup is no candidates and no error', async () => {
    const fleet = testFactory({ world: { staticFleet: new FakeFleet(fakeInstances(2, 'edge')) } });
    await runCli(['__complete', 'drain', '--fleet', 'fleet.yaml', 'edge-1'], fleet.factory);
    expect(fleet.out.text()).toBe('edge-1\n:4\n');
    expect(fleet.log.staticFleets).toEqual([{ file: 'fleet.yaml' }]);
    const unwired = testFactory();
    expect(await runCli(['__complete', 'drain', 'c'], unwired.factory)).toBe(0);
    expect(unwired.out.text()).toBe(':4\n');
    expect(unwired.err.text()).toBe('');
  });
});
