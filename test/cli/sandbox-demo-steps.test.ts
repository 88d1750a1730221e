// The demo's rolling-restart step: kubectl's own commands when kubectl is on the PATH, else the
// probe's --rollout --restart (the same restartedAt patch), so the demo runs on a machine without kubectl.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { onPath, rolloutSteps } from '../../src/commands/sandbox/demo.js';

describe('sandbox demo: the rollout step', () => {
  const dir = mkdtempSync(join(tmpdir(), 'demo-path-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('with kubectl: rollout restart, then rollout status with a deadline', () => {
    expect(rolloutSteps(true, 'conduit', 'ws://svc/v1/subscribe', '127.49.3.1-127.49.3.6')).toEqual([
      { program: 'kubectl', args: ['rollout', 'restart', 'statefulset/conduit', '-n', 'conduit'] },
      { program: 'kubectl', args: ['rollout', 'status', 'statefulset/conduit', '-n', 'conduit', '--timeout=120s'] },
    ]);
  });

  it('without kubectl: the probe restarts the StatefulSet and waits for the rollout, bounded', () => {
    expect(rolloutSteps(false, 'conduit', 'ws://svc/v1/subscribe', '127.49.3.1-127.49.3.6')).toEqual([
      { program: 'conduitctl', args: ['probe', 'ws://svc/v1/subscribe', '--connections', '6', '--source-ips', '127.49.3.1-127.49.3.6', '--rollout', 'sts/conduit', '--restart', '--timeout', '120s', '-n', 'conduit'] },
    ]);
  });

  it('finds an executable on the PATH, and only an executable', () => {
    writeFileSync(join(dir, 'kubectl'), '#!/bin/sh\n');
    expect(onPath('kubectl', { PATH: `/nonexistent:${dir}` })).toBe(false);
    chmodSync(join(dir, 'kubectl'), 0o755);
    expect(onPath('kubectl', { PATH: `/nonexistent:${dir}` })).toBe(true);
    expect(onPath('kubectl', { PATH: '/nonexistent' })).toBe(false);
    expect(onPath('kubectl', {})).toBe(false);
  });
});
