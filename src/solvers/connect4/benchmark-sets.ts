// Pascal Pons's benchmark sets (data/connect4/): one `MOVES SCORE` line per position.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchmarkPosition {
  moves: string;
  score: number;
}

export interface BenchmarkSet {
  file: string;
  name: string;
  /** Published mean time per position of the reference C++ solver, in seconds. */
  referenceSeconds: number;
  /** Published mean positions explored per position. */
  referenceNodes: number;
}

export const BENCHMARK_SETS: readonly BenchmarkSet[] = [
  { file: 'Test_L3_R1', name: 'End-Easy', referenceSeconds: 4.57e-6, referenceNodes: 51.3 },
  { file: 'Test_L2_R1', name: 'Middle-Easy', referenceSeconds: 37.5e-6, referenceNodes: 449.6 },
  { file: 'Test_L2_R2', name: 'Middle-Medium', referenceSeconds: 3.21e-3, referenceNodes: 39_900 },
  { file: 'Test_L1_R1', name: 'Begin-Easy', referenceSeconds: 255e-6, referenceNodes: 3_298 },
  { file: 'Test_L1_R2', name: 'Begin-Medium', referenceSeconds: 96.6e-3, referenceNodes: 1_201_000 },
  { file: 'Test_L1_R3', name: 'Begin-Hard', referenceSeconds: 5.49, referenceNodes: 65_920_000 },
];

export function benchmarkDataDir(root: string): string {
  return join(root, 'data', 'connect4');
}

export function loadBenchmarkSet(root: string, file: string): BenchmarkPosition[] {
  const text = readFileSync(join(benchmarkDataDir(root), file), 'utf8');
  const out: BenchmarkPosition[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const m = /^([1-7]*) (-?\d+)$/.exec(line.trim());
    if (!m) throw new Error(`${file}:${i + 1}: expected "MOVES SCORE", got "${line}"`);
    out.push({ moves: m[1]!, score: Number(m[2]) });
  }
  return out;
}
