// The status history's two-byte sample code: every value it can hold comes back within 0.035 %, no sample and
// zero exactly, and what is out of its range is clamped, never wrapped.
import { decodeSample, encodeSample } from '../../../src/observe/status/sample-code';

describe('sample code', () => {
  it('keeps every value from 2^-16 to 2^48 within 0.035 % in 16 bits', () => {
    let worst = 0;
    for (let l = -16; l <= 48; l += 0.0137) {
      const v = 2 ** l;
      const code = encodeSample(v);
      expect(code).toBeGreaterThanOrEqual(2);
      expect(code).toBeLessThan(65536);
      worst = Math.max(worst, Math.abs(decodeSample(code) - v) / v);
    }
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(0.00035);
    for (const v of [1, 5, 9, 1000, 2000, 125_000_000])
      expect(decodeSample(encodeSample(v))).toBeCloseTo(v, -Math.log10(v * 0.0007));
  });

  it('holds no sample and zero exactly, takes a negative for zero, and clamps the ends', () => {
    expect(decodeSample(encodeSample(NaN))).toBeNaN();
    expect(decodeSample(encodeSample(0))).toBe(0);
    expect(decodeSample(encodeSample(-3))).toBe(0);
    expect(decodeSample(encodeSample(2 ** -30))).toBeCloseTo(2 ** -16, 8);
    expect(decodeSample(encodeSample(2 ** 60))).toBe(2 ** 48);
    expect(decodeSample(encodeSample(Infinity))).toBe(2 ** 48);
    expect(encodeSample(0)).not.toBe(encodeSample(NaN));
  });
});
