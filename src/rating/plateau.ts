// Which points sit on the perfect-play plateau and must stay out of power-law fits: once
// agents play (nearly) perfectly, more parameters or compute cannot raise their Elo, and
// those points would flatten the fitted slope.
import type { PlateauRule, SizePoint } from './fit-types.ts';
import { studentTQuantile } from './student-t.ts';

/** Applies a plateau rule; shared by every fit that leaves the plateau out. */
export function splitByPlateau<T extends SizePoint>(
  points: readonly T[],
  rule: PlateauRule,
): { kept: T[]; excluded: { point: T; reason: string }[] } {
  if (rule.kind === 'none') return { kept: [...points], excluded: [] };
  if (rule.kind === 'within') {
    const threshold = rule.plateauElo - rule.margin;
    const kept: T[] = [];
    const excluded: { point: T; reason: string }[] = [];
    for (const p of points) {
      if (p.elo >= threshold) {
        excluded.push({ point: p, reason: `Elo ${round1(p.elo)} is within ${rule.margin} of the plateau ${round1(rule.plateauElo)}` });
      } else kept.push(p);
    }
    return { kept, excluded };
  }
  // not-significantly-below: walk sizes from the largest down.
  const bySize = new Map<number, T[]>();
  for (const p of points) {
    const group = bySize.get(p.parameters);
    if (group) group.push(p);
    else bySize.set(p.parameters, [p]);
  }
  const sizes = [...bySize.keys()].sort((x, y) => y - x);
  const onPlateau = new Set<number>();
  for (const size of sizes) {
    if (isSignificantlyBelow(bySize.get(size)!.map((p) => p.elo), rule.plateauElo, rule.level)) break;
    onPlateau.add(size);
  }
  const kept = points.filter((p) => !onPlateau.has(p.parameters));
  const excluded = points
    .filter((p) => onPlateau.has(p.parameters))
    .map((point) => ({
      point,
      reason: `mean Elo of size ${point.parameters} is not significantly below the plateau ${round1(rule.plateauElo)} (one-sided, level ${rule.level})`,
    }));
  return { kept, excluded };
}

/** One-sided t-test of mean(elos) < plateau at `level`. */
function isSignificantlyBelow(elos: readonly number[], plateau: number, level: number): boolean {
  const n = elos.length;
  const mean = elos.reduce((s, e) => s + e, 0) / n;
  if (n < 2) return mean < plateau;
  const sd = Math.sqrt(elos.reduce((s, e) => s + (e - mean) ** 2, 0) / (n - 1));
  if (sd === 0) return mean < plateau;
  return (plateau - mean) / (sd / Math.sqrt(n)) > studentTQuantile(level, n - 1);
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
