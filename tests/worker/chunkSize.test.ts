import { describe, expect, it } from 'vitest';
import { ChunkSize } from '../../src/worker/chunkSize';

describe('ChunkSize', () => {
  it('starts with one step, then fits the target time at the measured pace, within 1 and the maximum', () => {
    const c = new ChunkSize(25);
    expect(c.next(10)).toBe(1);
    c.observe(1, 5); // 5 ms a step
    expect(c.next(10)).toBe(5);
    expect(c.next(3)).toBe(3);
    const slow = new ChunkSize(25);
    slow.observe(2, 120); // 60 ms a step: one at a time
    expect(slow.next(10)).toBe(1);
    const fast = new ChunkSize(25);
    fast.observe(10, 1);
    expect(fast.next(10)).toBe(10);
  });

  it('follows a change of pace without jumping on one odd chunk, and ignores empty chunks', () => {
    const c = new ChunkSize(25);
    c.observe(5, 25); // 5 ms a step
    c.observe(0, 500);
    expect(c.next(100)).toBe(5);
    c.observe(1, 50); // one slow chunk: 0.7·5 + 0.3·50 = 18.5 ms
    expect(c.next(100)).toBe(1);
    for (let i = 0; i < 20; i++) c.observe(10, 10);
    expect(c.next(100)).toBe(24);
  });
});
