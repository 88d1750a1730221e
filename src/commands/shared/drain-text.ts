// How a gateway drain's events read, wherever a command drains (drain, drain on Kubernetes, the
// victims of a scale).

import type { DrainEvent } from '../../ops/drain/index.js';
import { formatDuration } from '../../util/duration.js';
import { counted } from '../../util/plural.js';

/** Events the operator must see even when there is no progress line: what this run undid or lost. */
export function drainEventLine(event: DrainEvent, verbosity = 0): string | undefined {
  switch (event.type) {
    case 'poll': {
      if (verbosity < 2) return undefined;
      const count = event.count.known ? counted(event.count.value, 'connection') : `unknown connections (${event.count.reason})`;
      return `${event.instance}: ${count}, zero streak ${event.zeroStreak}, draining for ${formatDuration(event.sinceDrainingMs)}`;
    }
    case 'undrained':
      return `${event.instance}: undrained (this run had drained it)`;
    case 'undrain-failed':
      return `warning: ${event.instance}: undrain failed, it is still draining: ${event.reason}`;
    case 'restart-detected':
      return `warning: ${event.instance} restarted while draining${event.droppedConnections === null ? '' : `: ${counted(event.droppedConnections, 'connection')} dropped by the restart`}`;
    case 'draining-lost':
      return (
        `warning: ${event.instance} stopped saying draining (it restarted, or someone undrained it): ` +
        `${event.connectionsAtRisk === null ? 'its connections' : counted(event.connectionsAtRisk, 'connection')} may have been dropped; re-asserting the drain`
      );
    default:
      return undefined;
  }
}

/** Commands that drain on the way to something else also keep each instance's steps on screen. */
export function drainStepLine(event: DrainEvent): string | undefined {
  const line = drainEventLine(event);
  if (line) return line;
  if (event.type === 'draining-confirmed') return `${event.instance}: draining`;
  if (event.type === 'stable-zero') return `${event.instance}: stable zero`;
  return undefined;
}

export function drainProgressText(event: DrainEvent): string | undefined {
  switch (event.type) {
    case 'drain-requested':
      return `${event.instance}: ${event.alreadyDraining ? 'already draining' : 'drain requested'}`;
    case 'draining-confirmed':
      return `${event.instance}: draining`;
    case 'progress': {
      const unknown = event.unknown.length ? ` · unknown: ${event.unknown.join(', ')}` : '';
      const rate = event.ratePerSec === null ? '' : ` · ${event.ratePerSec.toFixed(1)}/s`;
      const eta = event.etaMs === null ? '' : ` · ETA ${formatDuration(event.etaMs)}`;
      return `${counted(event.remaining, 'connection')} left${rate}${eta}${unknown} · ${formatDuration(event.elapsedMs)} elapsed`;
    }
    default:
      return undefined;
  }
}
