/**
 * Hasura's live queries as an async iterator: the current result at once, then a fresh result after every change
 * the subscriber can see. Each result is computed when the change happens, so a subscriber that reads slowly still
 * sees every intermediate status, in order. With `coalesce` (a merchant-wide query over every payment), a result is
 * computed when the subscriber takes it instead: changes that come while one is waiting to be taken are answered by
 * that one result, as Hasura answers a live query once per refetch, so a burst of changes does not recompute the
 * whole list for each.
 */
export function liveQuery<T>(listen: (notify: () => void) => () => void, compute: () => T, options: { coalesce?: boolean } = {}): AsyncIterableIterator<T> {
  // A queued entry is a result, or (coalescing) the promise of one computed when it is taken.
  const later = Symbol('computed when taken');
  const queue: Array<T | typeof later> = [compute()];
  let wake: (() => void) | undefined;
  let done = false;
  const stop = listen(() => {
    if (done) return;
    if (!options.coalesce) queue.push(compute());
    else if (queue.at(-1) !== later) queue.push(later);
    wake?.();
  });
  const finish = (): IteratorResult<T> => {
    if (!done) {
      done = true;
      stop();
      wake?.();
    }
    return { value: undefined, done: true };
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next(): Promise<IteratorResult<T>> {
      while (!done && queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (done) return { value: undefined, done: true };
      const next = queue.shift()!;
      return { value: next === later ? compute() : next, done: false };
    },
    async return(): Promise<IteratorResult<T>> {
      return finish();
    },
    async throw(error?: unknown): Promise<IteratorResult<T>> {
      finish();
      throw error;
    },
  };
}
