// Coalescing reconcile queue: store listeners run synchronously inside a write, so controllers
// never reconcile there; they enqueue a key and reconcile it once, on a later turn of the loop.

export interface WorkQueue {
  add(key: string): void;
  /** Resolves when no reconcile is queued or running (tests and shutdown). */
  idle(): Promise<void>;
  stop(): void;
}

export function createWorkQueue(reconcile: (key: string) => void, onError: (key: string, error: unknown) => void): WorkQueue {
  const queued = new Set<string>();
  let scheduled = false;
  let stopped = false;
  let waiters: (() => void)[] = [];

  const flush = (): void => {
    scheduled = false;
    // A reconcile may queue more keys (its own writes come back as events): loop until quiet.
    for (let rounds = 0; queued.size > 0 && !stopped && rounds < 100; rounds += 1) {
      const keys = [...queued];
      queued.clear();
      for (const key of keys) {
        try {
          reconcile(key);
        } catch (error) {
          onError(key, error);
        }
      }
    }
    if (queued.size > 0 && !stopped) schedule();
    else release();
  };
  const schedule = (): void => {
    if (scheduled || stopped) return;
    scheduled = true;
    setImmediate(flush);
  };
  const release = (): void => {
    const done = waiters;
    waiters = [];
    for (const resolve of done) resolve();
  };

  return {
    add(key) {
      if (stopped) return;
      queued.add(key);
      schedule();
    },
    idle() {
      if (!scheduled && queued.size === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    stop() {
      stopped = true;
      queued.clear();
      release();
    },
  };
}

export const keyFor = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

export function splitKey(key: string): [namespace: string, name: string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}
