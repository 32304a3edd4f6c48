// Exact binomial sampling from the seeded Rng, for resampling the games of a match: a
// bootstrap of 2×10^5 pairs × 800 games cannot afford one uniform per game.
import type { Rng } from '../engine/rng.ts';

const TABLE_SIZE = 1 << 16;
const logFactorialTable = new Float64Array(TABLE_SIZE);
for (let k = 1; k < TABLE_SIZE; k++) logFactorialTable[k] = logFactorialTable[k - 1]! + Math.log(k);

/** ln k!, exact sums below 65,536 and Stirling's series (error < 1e-15 relative) above. */
export function logFactorial(k: number): number {
  if (k < TABLE_SIZE) return logFactorialTable[k]!;
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
}

/**
 * One draw from Binomial(n, p) by inversion, searching outward from the mode so the
 * expected work is O(√(n·p·(1−p))) rather than O(n·p). Exact up to floating-point rounding.
 */
export function sampleBinomial(rng: Rng, n: number, p: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`sampleBinomial: n must be a whole number ≥ 0, got ${n}`);
  if (n === 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const q = 1 - p;
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const atMode = Math.exp(
    logFactorial(n) - logFactorial(mode) - logFactorial(n - mode) + mode * Math.log(p) + (n - mode) * Math.log(q),
  );
  let u = rng.next() - atMode;
  if (u < 0) return mode;
  let up = mode;
  let down = mode;
  let pUp = atMode;
  let pDown = atMode;
  const ratio = p / q;
  for (;;) {
    const canGoUp = up < n && pUp > 0;
    const canGoDown = down > 0 && pDown > 0;
    if (!canGoUp && !canGoDown) return mode; // only rounding residue left
    if (canGoUp) {
      pUp *= ((n - up) / (up + 1)) * ratio;
      up++;
      u -= pUp;
      if (u < 0) return up;
    }
    if (canGoDown) {
      pDown *= (down / (n - down + 1)) / ratio;
      down--;
      u -= pDown;
      if (u < 0) return down;
    }
  }
}
