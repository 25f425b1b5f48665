/**
 * Hasura's live queries as an async iterator: the current result at once, then a fresh result after every change
 * the subscriber can see. Each result is computed when the change happens, so a subscriber that reads slowly still
 * sees every intermediate status, in order.
 */
export function liveQuery<T>(listen: (notify: () => void) => () => void, compute: () => T): AsyncIterableIterator<T> {
  const queue: T[] = [compute()];
  let wake: (() => void) | undefined;
  let done = false;
  const stop = listen(() => {
    if (done) return;
    queue.push(compute());
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
      return { value: queue.shift()!, done: false };
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
