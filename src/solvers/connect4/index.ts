// Connect Four strong solver (Pascal Pons's score convention), opening book and players.
export { WIDTH, HEIGHT, CELLS, MIN_SCORE, MAX_SCORE, COLUMN_ORDER } from './bitboard.ts';
export { Position, mirrorKey } from './position.ts';
export { Solver, type SolverOptions, type BookProbe } from './solver.ts';
export { TranspositionTable } from './transposition-table.ts';
export { OpeningBook, buildOpeningBook, buildOpeningBookParallel, frontierKeys, enumerateLevels, BOOK_MAGIC, FULL_COLUMN, type BuildStats, type BuildProgress } from './opening-book.ts';
export { solveInParallel } from './parallel-solve.ts';
export { positionFromMoves, positionFromActions, positionFromState } from './adapter.ts';
export { SolverPlayer, bestMoves, chooseBest, chooseWithTemperature, softmaxPolicy, type MoveScores, type PlayerOptions } from './player.ts';
export { BENCHMARK_SETS, loadBenchmarkSet, type BenchmarkSet, type BenchmarkPosition } from './benchmark-sets.ts';
