// The engine's own demo stages: small, real file transformations that show `repro run`
// at work before any study stage exists.
import { readFileSync, writeFileSync } from 'node:fs';
import type { StageContext } from '../src/engine/index.ts';

interface DemoParams {
  demo: { minWordLength: number; top: number };
}

/** Counts the words of a text file. */
export function countWords(ctx: StageContext<DemoParams>): void {
  const min = ctx.params.demo.minWordLength;
  const counts: Record<string, number> = {};
  for (const w of readFileSync(ctx.deps[0]!, 'utf8').toLowerCase().match(/[a-z]+/g) ?? []) {
    if (w.length >= min) counts[w] = (counts[w] ?? 0) + 1;
  }
  const sorted = Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(ctx.outs[0]!, JSON.stringify({ words: Object.keys(sorted).length, counts: sorted }, null, 2) + '\n');
  ctx.log(`counted ${Object.keys(sorted).length} distinct words`);
}

/** The most frequent words, ties broken alphabetically. */
export function topWords(ctx: StageContext<DemoParams>): void {
  const { counts } = JSON.parse(readFileSync(ctx.deps[0]!, 'utf8')) as { counts: Record<string, number> };
  const top = Object.entries(counts)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, ctx.params.demo.top)
    .map(([word, count]) => ({ word, count }));
  writeFileSync(ctx.outs[0]!, JSON.stringify({ top }, null, 2) + '\n');
}
