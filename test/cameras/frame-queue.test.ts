import { describe, expect, it } from 'vitest';
import { DropOldestQueue } from '../../src/cameras/frame-queue.js';

describe('DropOldestQueue', () => {
  it('keeps the newest items and counts what it drops', () => {
    const freed: number[] = [];
    const q = new DropOldestQueue<number>(2, (n) => freed.push(n));
    expect(q.push(1)).toBeUndefined();
    expect(q.push(2)).toBeUndefined();
    expect(q.push(3)).toBe(1);
    expect(q.push(4)).toBe(2);
    expect(q.length).toBe(2);
    expect(q.dropped).toBe(2);
    expect(freed).toEqual([1, 2]);
    expect(q.shift()).toBe(3);
    expect(q.shift()).toBe(4);
    expect(q.shift()).toBeUndefined();
  });

  it('never grows past its capacity however fast items come', () => {
    const q = new DropOldestQueue<number>(3);
    for (let i = 0; i < 10_000; i += 1) {
      q.push(i);
      expect(q.length).toBeLessThanOrEqual(3);
    }
    expect(q.dropped).toBe(10_000 - 3);
    expect([q.shift(), q.shift(), q.shift()]).toEqual([9997, 9998, 9999]);
  });

  it('clear hands items back without counting them as drops', () => {
    const freed: string[] = [];
    const q = new DropOldestQueue<string>(2, (s) => freed.push(s));
    q.push('a');
    q.push('b');
    expect(q.clear()).toEqual(['a', 'b']);
    expect(freed).toEqual(['a', 'b']);
    expect(q.dropped).toBe(0);
    expect(q.length).toBe(0);
  });

  it('rejects a capacity below one', () => {
    expect(() => new DropOldestQueue(0)).toThrow(RangeError);
  });
});
