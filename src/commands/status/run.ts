import type { Session } from '../../cli/session.js';
import { getStatus, type StatusReport } from '../../ops/status.js';
import { writeReport } from '../../ui/report.js';
import { debug } from '../../ui/notes.js';
import { isAbortError } from '../../util/abort.js';
import type { StatusCommandOptions } from './index.js';
import { renderStatus, statusDocument } from './render.js';

export async function runStatus(session: Session, options: StatusCommandOptions): Promise<void> {
  const { io, factory } = session;
  const { fleet, gateway } = await session.connect(options.target);
  debug(io, 1, `fleet: ${fleet.describe().source}`);
  const once = async (): Promise<StatusReport> =>
    getStatus({ fleet, gateway, target: options.target, concurrency: options.concurrency, signal: factory.signal });

  const print = (report: StatusReport) =>
    writeReport(
      io,
      statusDocument(fleet.describe(), report),
      (wide) => renderStatus(report, { wide, color: io.color, nowMs: factory.clock.wallNow() }),
      { stream: options.watch },
    );

  if (!options.watch) {
    print(await once());
    return;
  }
  // --watch: redraw on a terminal, append otherwise (one JSON document per refresh with -o json).
  try {
    for (;;) {
      const report = await once();
      if (io.format !== 'json' && io.format !== 'yaml' && io.out.isTTY) io.out.write('\x1b[2J\x1b[H');
      print(report);
      await factory.clock.sleep(options.intervalMs, factory.signal);
    }
  } catch (error) {
    if (isAbortError(error) || factory.signal.aborted) return; // Ctrl-C ends a watch normally.
    throw error;
  }
}
