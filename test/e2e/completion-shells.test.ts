// The committed completion scripts in real bash, zsh (interactive, through zpty) and fish, calling
// the built conduitctl's __complete: commands, flags, flag values, live pod and StatefulSet names
// of a kube-sim sandbox world, and the instances of a --fleet file. Then `kubectl conduit <TAB>`
// through real kubectl's __complete and bin/kubectl_complete-conduit.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxWorld, type SandboxWorld } from '../../src/sandbox/world.js';
import { completeIn, completionEnv, type ShellName } from '../support/shell-completion.js';

const SHELLS: ShellName[] = ['bash', 'zsh', 'fish'];
const sorted = (values: string[]) => [...values].sort();

let world: SandboxWorld;
let dir: string;
let fleetFile: string;

beforeAll(async () => {
  world = await startSandboxWorld({ podCidr: '127.43.1.0/24', serviceCidr: '127.43.2.0/24', mode: 'in-process' });
  await world.waitUntilReady(45_000);
  dir = await mkdtemp(join(tmpdir(), 'conduit-completion-'));
  fleetFile = join(dir, 'fleet.yaml');
  await writeFile(
    fleetFile,
    ['instances:', '  - name: edge-a', '    admin: http://127.43.3.1:9087', '  - name: edge-b', '    admin: http://127.43.3.2:9087', '  - name: core-a', '    admin: http://127.43.3.3:9087', ''].join('\n'),
  );
}, 60_000);

afterAll(async () => {
  await world?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.each(SHELLS)('%s completion', (shell) => {
  const env = () => completionEnv({ HOME: dir, KUBECONFIG: world.kubeconfigPath });
  const complete = (line: string) => completeIn(shell, line, env()).then(sorted);

  it('commands and subcommands', async () => {
    expect(await complete('conduitctl st')).toEqual(['status']);
    expect(await complete('conduitctl sandbox ')).toEqual(sorted(['up', 'down', 'status', 'demo', 'help']));
    expect(await complete('conduitctl comp')).toEqual(['completion']);
  });

  it('flags of the command and global flags', async () => {
    expect(await complete('conduitctl drain --th')).toEqual(['--then']);
    expect(await complete('conduitctl scale sts/conduit --allow-')).toEqual(['--allow-hpa', '--allow-zero']);
    expect(await complete('conduitctl status --kubec')).toEqual(['--kubeconfig']);
  });

  it('flag values: -o, --then, --via, the --flag= form', async () => {
    expect(await complete('conduitctl status -o ')).toEqual(sorted(['table', 'wide', 'json', 'yaml']));
    expect(await complete('conduitctl drain conduit-1 --then ')).toEqual(sorted(['none', 'evict', 'delete']));
    expect(await complete('conduitctl status --via p')).toEqual(['proxy']);
    expect(await complete('conduitctl completion z')).toEqual(['zsh']);
    // bash replaces only the text after "="; zsh and fish replace the whole word.
    expect(await complete('conduitctl status --output=j')).toEqual([shell === 'bash' ? 'json' : '--output=json']);
  });

  it('live pod and StatefulSet names of the current context and namespace (kube-sim)', async () => {
    expect(await complete('conduitctl drain conduit-')).toEqual(['conduit-0', 'conduit-1', 'conduit-2']);
    expect(await complete('conduitctl status ')).toEqual(['conduit-0', 'conduit-1', 'conduit-2', 'sts/conduit']);
    expect(await complete('conduitctl scale ')).toEqual(['sts/conduit']);
  });

  it('live names honour --kubeconfig and -n typed on the line', async () => {
    const noKubeconfig = (line: string) => completeIn(shell, line, completionEnv({ HOME: dir })).then(sorted);
    expect(await noKubeconfig(`conduitctl status --kubeconfig ${world.kubeconfigPath} -n conduit conduit-1`)).toEqual(['conduit-1']);
    expect(await noKubeconfig(`conduitctl status --kubeconfig ${world.kubeconfigPath} -n default conduit-`)).toEqual([]);
    expect(await noKubeconfig('conduitctl drain conduit-')).toEqual([]);
  });

  it('instances of a --fleet file', async () => {
    expect(await complete(`conduitctl drain --fleet ${fleetFile} edge-`)).toEqual(['edge-a', 'edge-b']);
    expect(await complete(`conduitctl status --fleet ${fleetFile} `)).toEqual(['core-a', 'edge-a', 'edge-b']);
  });

  it('a file name for --fleet', async () => {
    // zsh's _files adds the file name under the typed directory (compadd -p), bash and fish the whole path.
    expect(await complete(`conduitctl status --fleet ${join(dir, 'fle')}`)).toEqual([shell === 'zsh' ? 'fleet.yaml' : fleetFile]);
  });
});

describe('kubectl conduit <TAB> through kubectl_complete-conduit', () => {
  const kubectl = async (args: string[], cacheName: string) => {
    const env = completionEnv({ HOME: dir, KUBECONFIG: world.kubeconfigPath, KUBECACHEDIR: join(dir, cacheName) });
    const { stdout } = await promisify(execFile)('kubectl', ['__complete', ...args], { env, timeout: 30_000 });
    return stdout.split('\n').filter(Boolean);
  };

  it('kubectl __complete conduit st → status, with kubectl’s directive line', async () => {
    const lines = await kubectl(['conduit', 'st'], 'kubectl-cache-commands');
    expect(lines).toEqual(['status\tshow each gateway instance: health and live connections', ':4']);
  });

  it('flag values and live pod names through kubectl', async () => {
    expect(await kubectl(['conduit', 'drain', '--then', 'e'], 'kubectl-cache-values')).toEqual(['evict', ':4']);
    expect(await kubectl(['conduit', 'drain', 'conduit-'], 'kubectl-cache-pods')).toEqual(['conduit-0', 'conduit-1', 'conduit-2', ':4']);
  });
});
