// `drain --migrate` and `scale --migrate`: each source's clients are moved as soon as its drain is
// confirmed (it is out of rotation then), one source at a time so the receivers see one paced
// stream, while the drain's stable-zero wait goes on. When the drain ends (zero, deadline,
// Ctrl-C), whatever migration still runs is stopped between batches.

import { isAbortError } from '../../util/abort.js';
import type { Instance } from '../ports/index.js';
import type { MigrationResult } from './result.js';

export type StartMigration = (source: Instance, signal: AbortSignal) => Promise<MigrationResult>;

export interface QueuedMigration {
  source: string;
  result?: MigrationResult;
  /** A migration that threw (refused behind a load balancer, 401): the drain goes on waiting. */
  error?: string;
}

export class MigrationQueue {
  private readonly stop = new AbortController();
  private readonly entries: QueuedMigration[] = [];
  private readonly queued = new Set<string>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly start: StartMigration,
    parent: AbortSignal,
    private readonly onError: (source: string, message: string) => void = () => undefined,
  ) {
    if (parent.aborted) this.stop.abort(parent.reason);
    else parent.addEventListener('abort', () => this.stop.abort(parent.reason), { once: true });
  }

  /** Queue a source once (a second call for the same name does nothing). */
  enqueue(source: Instance): void {
    if (this.queued.has(source.name)) return;
    this.queued.add(source.name);
    const entry: QueuedMigration = { source: source.name };
    this.entries.push(entry);
    this.chain = this.chain.then(async () => {
      if (this.stop.signal.aborted) return;
      try {
        entry.result = await this.start(source, this.stop.signal);
      } catch (error) {
        if (isAbortError(error) && this.stop.signal.aborted) return;
        entry.error = error instanceof Error ? error.message : String(error);
        this.onError(source.name, entry.error);
      }
    });
  }

  /** Stop what still runs (between batches) and return every source's migration. */
  async finish(): Promise<QueuedMigration[]> {
    this.stop.abort(new Error('the drain ended'));
    await this.chain;
    return this.entries;
  }

  /** Wait for everything queued so far to end on its own. */
  async settled(): Promise<QueuedMigration[]> {
    await this.chain;
    return this.entries;
  }
}
