// What every command that runs an operation does, in one place: start the live status line, call
// the op with an event handler, stop the line, write the report (table, or one JSON/YAML
// document), then throw the typed failure of the outcome.

import type { ConduitError } from '../../ops/errors.js';
import type { IOStreams } from '../../ui/iostreams.js';
import { createProgress, followEvents, type EventText, type Progress } from '../../ui/progress.js';
import { writeReport } from '../../ui/report.js';

export interface OpRun<R, E> {
  /** The status line before the first event. */
  starting: string;
  events: EventText<E>;
  /** `progress` lets work alongside the op (drain --migrate's migrations) log lasting lines. */
  call(onEvent: (event: E) => void, progress: Progress): Promise<R>;
  /** The -o json/yaml document. */
  document(result: R): unknown;
  /** The table/wide text. */
  render(result: R, wide: boolean): string;
  /** The typed failure of the result (usually failureOf), undefined on success. */
  failure(result: R): ConduitError | undefined;
}

export async function runOp<R, E>(io: IOStreams, run: OpRun<R, E>): Promise<R> {
  const progress = createProgress(io, run.starting);
  let result: R;
  try {
    result = await run.call(followEvents(progress, run.events), progress);
  } finally {
    progress.stop();
  }
  writeReport(io, run.document(result), (wide) => run.render(result, wide));
  const failure = run.failure(result);
  if (failure) throw failure;
  return result;
}
