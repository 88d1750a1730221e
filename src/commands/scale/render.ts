import { counted } from '../../util/plural.js';
import type { FleetDescription } from '../../ops/ports/index.js';
import type { ScaleEvent, ScalePlan, ScaleResult } from '../../ops/scale/index.js';
import { palette } from '../../ui/color.js';
import { renderTable } from '../../ui/table.js';
import { formatDuration } from '../../util/duration.js';
import { countText, drainProgressText, drainStepLine } from '../shared/index.js';

/** Printed before any mutation (RELIABILITY rule 6): where, what, and the checks. */
export function planHeader(fleet: FleetDescription, plan: ScalePlan, dryRun: boolean): string {
  const lines = [
    `${dryRun ? 'Plan (dry run)' : 'Plan'}: scale statefulset ${plan.statefulSet} from ${plan.current} to ${plan.requested} (${plan.direction === 'none' ? 'no change' : plan.direction})`,
    `  cluster ${fleet.cluster ?? '-'} · context ${fleet.context ?? '-'} · namespace ${plan.namespace}`,
    `  podManagementPolicy ${plan.podManagementPolicy} · terminationGracePeriodSeconds ${plan.terminationGracePeriodSeconds}`,
  ];
  if (plan.direction === 'down') {
    const victims = plan.victims.map((v) => `${v.name} (${v.exists ? (v.terminating ? 'terminating' : counted(countText(v.connections), 'connection')) : 'no pod'})`);
    lines.push(`  remove: ${victims.join(', ')}`);
    const toMove = plan.connectionsToMove === null ? 'unknown' : String(plan.connectionsToMove);
    lines.push(`  connections to leave: ${toMove} · drain takes at least ${formatDuration(plan.estimatedDrainMs)}`);
    if (plan.capacity) lines.push(`  room on the remaining pods: ${plan.capacity.free} (${plan.capacity.survivorsCounted} × ${plan.capacity.perPod})`);
  }
  for (const finding of plan.findings) {
    const label = finding.level === 'refuse' ? 'refused' : finding.level === 'usage' ? 'invalid' : finding.level === 'warn' ? 'warning' : 'note';
    lines.push(`  ${label}: ${finding.message}${finding.hint ? ` (${finding.hint})` : ''}`);
  }
  return lines.join('\n');
}

/** A line that stays on screen, or undefined. */
export function eventLine(event: ScaleEvent, verbosity = 0): string | undefined {
  switch (event.type) {
    case 'plan':
      return planHeader(event.fleet, event.plan, event.dryRun);
    case 'lease-acquired':
      return `lock: Lease ${event.lease} held by ${event.holder}`;
    case 'lease-renew-failed':
      return `warning: could not renew Lease ${event.lease}: ${event.reason}`;
    case 'drain':
      return drainStepLine(event.event);
    case 'victim-zero-confirmed':
      return `${event.instance}: 0 connections confirmed just before the write`;
    case 'victim-not-zero':
      return `${event.instance}: ${counted(countText(event.count), 'connection')} at the final check: not scaling`;
    case 'write-attempt':
      return `writing spec.replicas=${event.replicas} (resourceVersion ${event.resourceVersion})`;
    case 'conflict-retry':
      // Usually the StatefulSet's own controller updating its status: nothing the operator must act on.
      return (
        'the StatefulSet changed while writing (usually its controller updating its status); ' +
        'nothing relevant changed, writing again' +
        (verbosity >= 1 ? ` [409 Conflict: ${event.message}]` : '')
      );
    case 'written':
      return `spec.replicas is ${event.replicas}`;
    case 'terminated':
      return `${event.instance}: gone${event.how === 'replaced' ? ' (the name now belongs to a new pod)' : ''}`;
    case 'pod-ready':
      return `${event.instance}: Ready`;
    case 'read-failed':
      return `warning: API read failed, state unknown, retrying: ${event.reason}`;
    default:
      return undefined;
  }
}

/** Spinner text. */
export function progressText(event: ScaleEvent): string | undefined {
  if (event.type === 'drain') return drainProgressText(event.event);
  if (event.type === 'waiting') {
    const what = event.phase === 'terminate' ? 'waiting for removal of' : 'waiting for Ready:';
    return `${what} ${event.pending.join(', ')}${event.detail ? ` · ${event.detail}` : ''} · ${formatDuration(event.elapsedMs)}`;
  }
  return undefined;
}

export function scaleDocument(result: ScaleResult) {
  const { plan } = result;
  return {
    kind: 'ScaleReport',
    outcome: result.outcome,
    message: result.message,
    hint: result.hint ?? null,
    fleet: result.fleet,
    statefulSet: plan.statefulSet,
    namespace: plan.namespace,
    replicas: { before: plan.current, requested: plan.requested, now: result.replicasNow },
    written: result.written,
    writeAttempts: result.writeAttempts,
    lease: result.lease ?? null,
    plan: {
      direction: plan.direction,
      podManagementPolicy: plan.podManagementPolicy,
      resourceVersion: plan.resourceVersion,
      victims: plan.victims.map((v) => ({
        name: v.name,
        ordinal: v.ordinal,
        exists: v.exists,
        terminating: v.terminating,
        graceEndsAt: v.graceEndsAt ?? null,
        connections: v.connections.known ? v.connections.value : null,
        connectionsReason: v.connections.known ? null : v.connections.reason,
      })),
      survivors: plan.survivors,
      connectionsToMove: plan.connectionsToMove,
      estimatedDrainMs: plan.estimatedDrainMs,
      capacity: plan.capacity,
      findings: plan.findings,
    },
    victims: result.victims.map((v) => ({
      name: v.name,
      state: v.state,
      connections: v.connections.known ? v.connections.value : null,
      detail: v.detail ?? null,
    })),
    elapsedMs: Math.round(result.elapsedMs),
  };
}

export function renderScaleResult(result: ScaleResult, { wide, color }: { wide: boolean; color: boolean }): string {
  const c = palette({ color });
  const ok = ['scaled', 'unchanged', 'planned'].includes(result.outcome);
  const parts: string[] = [];
  if (result.victims.length > 0 && (wide || result.outcome === 'planned' || !ok)) {
    const rows = result.victims.map((v) => [v.name, v.state, countText(v.connections), v.detail ?? '-']);
    parts.push(renderTable(['pod', 'state', 'connections', 'detail'], rows));
  }
  parts.push(ok ? c.green(result.message) : c.yellow(result.message));
  return `${parts.join('\n\n')}\n`;
}
