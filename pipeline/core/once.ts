/**
 * A promise started on first use and shared after: checks a caller starts when it chooses (csp publish starts
 * its release and ledger checks once the big upload streams) and awaits later.
 */

/**
 * `fn`'s promise, made by the first call and returned by every later one. A failure is marked handled when it is
 * made: it reaches whoever awaits the promise, but one nobody awaited yet is not an "unhandled rejection" (which
 * ends the process in the main thread).
 */
export function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    if (!made) {
      made = fn();
      made.catch(() => undefined);
    }
    return made;
  };
}
