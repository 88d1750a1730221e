import pLimit from 'p-limit';

/** `fn` over every item with at most `limit` calls in flight; results in the items' order. */
export function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const run = pLimit(limit);
  return Promise.all(items.map((item) => run(() => fn(item))));
}
