import type { Session } from '../../cli/session.js';

/**
 * A verb's run function (gh's runF): what the command does once its flags are valid options.
 * `define<Verb>Command(f, runF?)` loads the real one lazily; tests pass their own to see the
 * options a command line produced without running anything.
 */
export type RunCommand<O> = (session: Session, options: O) => Promise<void>;
