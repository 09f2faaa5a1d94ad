// A graph sample in two bytes: the status page's history (history.ts) keeps 120 samples of four series for
// every virtual and real server, so at 5,000 real servers each byte per sample is 2.4 MB. The values are
// rates and latencies, never negative, drawn on graphs: a logarithmic code keeps every one of them within
// 0.035 % of its value, from 2^-16 up to 2^48 (a rate of 281 TB/s), in 16 bits instead of Float32's 32.
//   0 = no sample (NaN), 1 = zero, 2..64002 = 2^((code - 2) / 1000 - 16), out-of-range values clamped.

const STEPS_PER_OCTAVE = 1000;
const LOWEST_OCTAVE = -16;
const HIGHEST_CODE = 2 + 64 * STEPS_PER_OCTAVE;

export function encodeSample(value: number): number {
  if (Number.isNaN(value)) return 0;
  if (value <= 0) return 1;
  const code = Math.round((Math.log2(value) - LOWEST_OCTAVE) * STEPS_PER_OCTAVE) + 2;
  return Math.min(Math.max(code, 2), HIGHEST_CODE);
}

export function decodeSample(code: number): number {
  if (code === 0) return NaN;
  if (code === 1) return 0;
  return 2 ** ((code - 2) / STEPS_PER_OCTAVE + LOWEST_OCTAVE);
}
