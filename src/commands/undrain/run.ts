// `undrain` on any fleet: resolve the instances, call the op, report; the outcome picks the exit code.
import type { Session } from '../../cli/session.js';
import { undrainInstances, type UndrainEvent } from '../../ops/undrain/index.js';
import { note } from '../../ui/notes.js';
import { formatDuration } from '../../util/duration.js';
import { failureOf, printPlan, runOp } from '../shared/index.js';
import type { UndrainCommandOptions } from './index.js';
import { eventLine, undrainDocument, undrainFailureText, renderUndrainResult } from './render.js';

export async function runUndrain(session: Session, options: UndrainCommandOptions): Promise<void> {
  if (options.dryRun) {
    return printPlan(session, options.target, {
      kind: 'UndrainPlan',
      action: (health) => (health === 'ok' ? 'nothing (already serving)' : 'undrain, then wait until /health says ok'),
    });
  }
  const { io, factory } = session;
  const { fleet, gateway } = await session.connect(options.target);
  const instances = await fleet.resolve(options.target, factory.signal);
  const source = fleet.describe().source;

  note(io, `Undraining ${instances.map((i) => i.name).join(', ')} (${source}); deadline ${formatDuration(options.timeoutMs)}`);
  await runOp(io, {
    starting: 'undraining…',
    events: { line: (event: UndrainEvent) => eventLine(event) },
    call: (onEvent) =>
      undrainInstances({
        instances,
        gateway,
        clock: factory.clock,
        signal: factory.signal,
        settings: { timeoutMs: options.timeoutMs, pollIntervalMs: options.pollIntervalMs },
        onEvent,
      }),
    document: (result) => undrainDocument(source, result),
    render: (result, wide) => renderUndrainResult(result, { wide, color: io.color }),
    failure: (result) => {
      const { message, hint } = undrainFailureText(result);
      return failureOf(result.outcome, message, hint);
    },
  });
}
