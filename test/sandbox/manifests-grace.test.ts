// docs/prestop.md's rule, read off the sandbox's own StatefulSet: the grace period covers the
// preStop drain, the gateway's shutdown deadline and its close timeout, with a margin.
import { describe, expect, it } from 'vitest';
import { conduitManifests } from '../../src/sandbox/manifests.js';
import { parseDuration } from '../../src/util/duration.js';

describe('the sandbox StatefulSet’s termination budget', () => {
  it('terminationGracePeriodSeconds ≥ preStop --timeout + --shutdown-deadline-ms + --close-timeout-ms + 5 s', () => {
    const spec = conduitManifests().statefulSet.spec as {
      template: { spec: { terminationGracePeriodSeconds: number; containers: Array<{ args: string[]; lifecycle: { preStop: { exec: { command: string[] } } } }> } };
    };
    const pod = spec.template.spec;
    const [container] = pod.containers;
    const hook = container!.lifecycle.preStop.exec.command.join(' ');
    const drainTimeout = /drain --local .*--timeout (\S+)/.exec(hook)?.[1];
    expect(drainTimeout, hook).toBeDefined();
    const arg = (flag: string) => {
      const at = container!.args.lastIndexOf(flag);
      expect(at, `${flag} in ${container!.args.join(' ')}`).toBeGreaterThan(-1);
      return Number(container!.args[at + 1]);
    };
    const budgetMs = parseDuration(drainTimeout!) + arg('--shutdown-deadline-ms') + arg('--close-timeout-ms');
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(budgetMs + 5_000);
  });
});
