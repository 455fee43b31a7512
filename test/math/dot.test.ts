import { describe, expect, it } from 'vitest';
import { dotAt } from '../../src/math/dot.js';

describe('dotAt', () => {
  it('multiplies the slices at the offsets, whatever dim modulo 4', () => {
    const x = Float32Array.from([9, 1, 2, 3, 4, 5, 6, 7]);
    const y = Float32Array.from([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
    for (let dim = 0; dim <= 7; dim++) {
      let expected = 0;
      for (let k = 0; k < dim; k++) {
        expected += x[1 + k]! * y[5 + k]!;
      }
      expect(dotAt(x, 1, y, 5, dim)).toBe(expected);
    }
  });
});
