import { describe, expect, it } from 'vitest';
import { once } from './once.js';

describe('once', () => {
  it('starts on the first call only and returns the same promise after', async () => {
    let calls = 0;
    const get = once(async () => ++calls);
    expect(calls).toBe(0);
    const first = get();
    expect(get()).toBe(first);
    expect(await first).toBe(1);
    expect(calls).toBe(1);
  });

  it('a failure reaches whoever awaits it, and is not unhandled while nobody does', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      const get = once(() => Promise.reject(new Error('stale')));
      void get();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await expect(get()).rejects.toThrow('stale');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });
});
