import type { Session } from '../../cli/session.js';
import { drainInstances, type DrainResult } from '../../ops/drain/drain.js';
import { InterruptedError, RefusedError, TimeoutError, VerificationError } from '../../ops/errors.js';
import type { Fleet, Instance } from '../../ops/ports/index.js';
import { createProgress, followEvents } from '../../ui/progress.js';
import { debug, note } from '../../ui/notes.js';
import { writeReport } from '../../ui/report.js';
import { formatDuration } from '../../util/duration.js';
import type { DrainCommandOptions } from './index.js';
import { drainSettingsOf } from './settings.js';
import { describeLeftState, drainDocument, eventLine, progressText, renderDrainResult } from './render.js';

async function pickInstances(session: Session, options: DrainCommandOptions): Promise<{ instances: Instance[]; fleet?: Fleet; source: string }> {
  if (options.local) {
    const url = new URL(options.localAdminUrl);
    return { instances: [{ name: options.localName, address: url.hostname, adminUrl: options.localAdminUrl }], source: `local gateway ${options.localAdminUrl}` };
  }
  const fleet = await session.fleet();
  return { instances: await fleet.resolve(options.target!, session.factory.signal), fleet, source: fleet.describe().source };
}

export async function runDrain(session: Session, options: DrainCommandOptions): Promise<void> {
  if (!options.local && session.onKubernetes) {
    const { runKubeDrain } = await import('./kube-run.js');
    return runKubeDrain(session, options);
  }
  const { io, factory } = session;
  const { instances, fleet, source } = await pickInstances(session, options);
  const gateway = await session.gateway();

  note(io, `Draining ${instances.map((i) => i.name).join(', ')} (${source}); deadline ${formatDuration(options.timeoutMs)}, min drain time ${formatDuration(options.minDrainMs)}`);
  for (const instance of instances) debug(io, 1, `instance ${instance.name}: ${instance.adminUrl ?? instance.address ?? 'no address'}${instance.uid ? ` uid ${instance.uid}` : ''}`);
  debug(io, 1, `poll every ${formatDuration(options.pollIntervalMs)}, stable zero after ${options.stableZeroPolls} zero polls and ${formatDuration(options.minDrainMs)} draining`);
  const progress = createProgress(io, 'requesting drain…');
  let result: DrainResult;
  try {
    result = await drainInstances({
      instances,
      gateway,
      clock: factory.clock,
      fleet,
      signal: factory.signal,
      settings: drainSettingsOf(options),
      onEvent: followEvents(progress, { line: (event) => eventLine(event, io.verbosity), status: progressText }),
    });
  } finally {
    progress.stop();
  }

  writeReport(io, drainDocument(source, result), (wide) => renderDrainResult(result, { wide, color: io.color }));
  const left = describeLeftState(result);
  switch (result.outcome) {
    case 'drained':
      return;
    case 'timeout':
      throw new TimeoutError(`timed out after ${formatDuration(result.elapsedMs)}: ${left}`, 'The instances stay draining (safe). Re-run to keep waiting, or undrain them with POST /admin/undrain.');
    case 'interrupted':
      throw new InterruptedError(`interrupted: ${left}`, 'Re-run the same command to resume.');
    case 'not-confirmed':
      throw new RefusedError(`a gateway accepted the drain but /health never reported "draining": ${left}`, 'Nothing may be removed while the gateway still serves; check its drain implementation.');
    case 'restarted':
      throw new VerificationError(`a gateway restarted while draining: ${left}`);
  }
}
