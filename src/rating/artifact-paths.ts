// Where the study's stages write, in one small module: the plan declares these paths and the
// stage modules look their deps up by them. Stages import this rather than the plan, so that
// changing the plan (which only shapes declarations) does not change every shard's key.

export const OPENING_BOOK = 'artifacts/connect4/opening-book.bin';
export const BENCHMARK_DIR = 'artifacts/benchmark/pentago';

export const trainDir = (agent: string): string => `artifacts/train/${agent}`;
export const shardOutput = (game: string, shard: string): string => `artifacts/tournament/${game}/${shard}.json`;
export const ratingTableOutput = (game: string, method: 'bradley-terry' | 'bayeselo'): string => `artifacts/elo/${game}.${method}.json`;
export const fitsOutput = (game: string): string => `artifacts/fits/${game}.json`;
