// "Did you mean …?" for a stage id or target that names nothing.
import { distance } from 'fastest-levenshtein';

/** The candidates nearest to `word` (at most three, ties in order), if near enough to be a typo of it. */
export function nearest(word: string, candidates: Iterable<string>): string[] {
  const scored = [...new Set(candidates)].map((c) => ({ c, d: distance(word, c) }));
  const best = Math.min(...scored.map(({ d }) => d));
  if (best > Math.max(2, Math.floor(word.length / 4))) return [];
  return scored
    .filter(({ d }) => d === best)
    .map(({ c }) => c)
    .sort()
    .slice(0, 3);
}

/** '; did you mean a or b?' when something is near, else ''. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const near = nearest(word, candidates);
  return near.length ? `; did you mean ${near.join(' or ')}?` : '';
}
