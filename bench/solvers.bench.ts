// Solver benchmark: the Connect Four strong solver on Pascal Pons's six benchmark sets,
// beside the reference C++ solver's published numbers, then game-engine throughput.
//
//   npm run bench:solvers [-- --sets End-Easy,Middle-Medium] [--begin-hard N] [--limit N]
//                         [--player-plies 12,14,16] [--no-games]
//
// Every set is solved in full (1000 positions) except Begin-Hard: a fixed seeded sample of
// 50 (one position takes 10-30 s here, so that set alone takes 10-20 minutes; --begin-hard 5
// for a quick look). Each position starts from an empty transposition table, as the
// reference does; the table is cleared outside the timed region.
// Published numbers come from another machine: the ratios say how far we are from the
// reference's speed, not a same-machine comparison.

import { Rng } from '../src/engine/rng.ts';
import { getGame, randomPlayout, type AnyGame } from '../src/games/index.ts';
import { BENCHMARK_SETS, loadBenchmarkSet } from '../src/solvers/connect4/benchmark-sets.ts';
import { Position } from '../src/solvers/connect4/position.ts';
import { Solver } from '../src/solvers/connect4/solver.ts';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const onlySets = option('sets')?.split(',');
const beginHardSample = Number(option('begin-hard') ?? 50);
const limit = Number(option('limit') ?? 1000);
const playerPlies = option('player-plies')?.split(',').map(Number);
const withGames = !process.argv.includes('--no-games');

function fmtTime(s: number): string {
  if (s < 1e-3) return `${(s * 1e6).toFixed(1)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(2)} ms`;
  return `${s.toFixed(2)} s`;
}

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

function seededSample<T>(xs: T[], n: number, seed: number): T[] {
  const idx = Array.from(xs.keys());
  new Rng(seed, 'bench-sample').shuffle(idx);
  return idx
    .slice(0, n)
    .sort((a, b) => a - b)
    .map((i) => xs[i]!);
}

function benchSolver(): void {
  console.log(`Connect Four solver (transposition table 2^23 slots, 64 MiB); ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const solver = new Solver({ ttLog2Size: 23 });
  // Warm the JIT up (untimed) so that the easy sets do not measure V8's tiers.
  for (const { moves } of loadBenchmarkSet(REPO, 'Test_L2_R2').slice(0, 30)) {
    solver.reset();
    solver.solve(Position.fromMoves(moves));
  }
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const set of BENCHMARK_SETS) {
    if (onlySets && !onlySets.includes(set.name)) continue;
    let positions = loadBenchmarkSet(REPO, set.file);
    if (set.name === 'Begin-Hard' && beginHardSample < positions.length) {
      positions = seededSample(positions, beginHardSample, 50);
      notes.push(
        `Begin-Hard: fixed seeded sample of ${positions.length} of 1000 positions (not the whole set); the reference columns are whole-set means, so compare the node rate, or time per node`,
      );
    }
    if (limit < positions.length) {
      positions = positions.slice(0, limit);
      notes.push(`${set.name}: first ${limit} positions only (--limit)`);
    }
    let seconds = 0;
    let cpuSeconds = 0;
    let nodes = 0;
    let wrong = 0;
    let lastReport = performance.now();
    positions.forEach(({ moves, score }, i) => {
      solver.reset();
      const pos = Position.fromMoves(moves);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const got = solver.solve(pos);
      seconds += (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      cpuSeconds += (c.user + c.system) / 1e6;
      nodes += solver.nodeCount;
      if (got !== score) {
        wrong++;
        console.error(`WRONG ${set.name} ${moves}: expected ${score}, got ${got}`);
      }
      if (performance.now() - lastReport > 30_000) {
        lastReport = performance.now();
        console.error(`  … ${set.name} ${i + 1}/${positions.length}, mean so far ${fmtTime(seconds / (i + 1))}`);
      }
    });
    const n = positions.length;
    const meanTime = seconds / n;
    const meanCpu = cpuSeconds / n;
    const meanNodes = nodes / n;
    const rate = nodes / seconds / 1e3;
    const refRate = set.referenceNodes / set.referenceSeconds / 1e3;
    rows.push([
      set.name,
      String(n),
      wrong === 0 ? 'yes' : `NO (${wrong} wrong)`,
      fmtTime(meanTime),
      fmtTime(set.referenceSeconds),
      `${(meanTime / set.referenceSeconds).toFixed(2)}x`,
      fmtTime(meanCpu),
      `${(meanCpu / set.referenceSeconds).toFixed(2)}x`,
      meanNodes.toFixed(meanNodes < 1000 ? 1 : 0),
      String(set.referenceNodes),
      `${(meanNodes / set.referenceNodes).toFixed(2)}x`,
      rate.toFixed(0),
      refRate.toFixed(0),
      `${(rate / refRate).toFixed(2)}x`,
    ]);
    console.error(`  done ${set.name}`);
  }
  table(['set', 'positions', 'exact', 'mean time', 'ref time', 'time ratio', 'mean CPU', 'CPU ratio', 'mean nodes', 'ref nodes', 'node ratio', 'K nodes/s', 'ref K/s', 'rate ratio'], rows);
  for (const note of notes) console.log(`note: ${note}`);
  console.log('ratios: ours / reference (time: lower is better; rate: higher is better). Reference = published C++ numbers, other machine.');
  console.log('mean time is wall clock; mean CPU is this process\'s CPU time (less sensitive to other load on the machine); K nodes/s uses wall time.');
  console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

/** Random positions (no immediate win for the mover) at a given ply, from seeded random games. */
function randomPosition(rng: Rng, ply: number): Position | null {
  const p = new Position();
  while (p.moves < ply) {
    const legal = [0, 1, 2, 3, 4, 5, 6].filter((c) => p.canPlay(c) && !p.isWinningMove(c));
    if (legal.length === 0) return null;
    p.play(legal[rng.int(legal.length)]!);
  }
  return p.canWinNext() ? null : p;
}

/** How long the perfect player (no book) takes to pick a move, per ply. */
function benchPlayer(plies: number[]): void {
  console.log('\nPerfect-player decision time without a book (best-move set: one solve + one null-window probe per move; fresh table per position)');
  const solver = new Solver({ ttLog2Size: 24 });
  const rows: string[][] = [];
  for (const ply of plies) {
    const rng = new Rng(ply, 'bench-player');
    const times: number[] = [];
    while (times.length < 10) {
      const pos = randomPosition(rng, ply);
      if (!pos) continue;
      solver.reset();
      const t0 = performance.now();
      solver.bestMoves(pos);
      times.push((performance.now() - t0) / 1000);
    }
    times.sort((a, b) => a - b);
    rows.push([String(ply), String(times.length), fmtTime(times.reduce((a, b) => a + b, 0) / times.length), fmtTime(times[times.length >> 1]!), fmtTime(times[times.length - 1]!)]);
  }
  table(['ply', 'positions', 'mean', 'median', 'max'], rows);
}

function benchGames(): void {
  console.log('\nGame engines (src/games): uniformly random playouts from the initial state');
  const rows: string[][] = [];
  for (const name of ['connect4', 'pentago'] as const) {
    const game: AnyGame = getGame(name);
    const rng = new Rng(1, `bench-${name}`);
    // warm up the JIT
    for (let i = 0; i < 2000; i++) randomPlayout(game, rng);
    let playouts = 0;
    let plies = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 3000) {
      for (let i = 0; i < 500; i++) plies += randomPlayout(game, rng).plies;
      playouts += 500;
    }
    const s = (performance.now() - t0) / 1000;
    // apply alone, over the states of recorded games
    const games = Array.from({ length: 2000 }, () => randomPlayout(game, rng).actions);
    let applies = 0;
    const t1 = performance.now();
    while (performance.now() - t1 < 2000) {
      for (const actions of games) {
        let state = game.initialState();
        for (const a of actions) state = game.apply(state, a);
        applies += actions.length;
      }
    }
    const s1 = (performance.now() - t1) / 1000;
    // legal-move generation
    const mask = new Uint8Array(game.numActions);
    const states: unknown[] = [];
    for (const actions of games.slice(0, 200)) {
      let state = game.initialState();
      for (const a of actions) {
        states.push(state);
        state = game.apply(state, a);
      }
    }
    let masks = 0;
    const t2 = performance.now();
    while (performance.now() - t2 < 1000) {
      for (const st of states) game.legalMask(st, mask);
      masks += states.length;
    }
    const s2 = (performance.now() - t2) / 1000;
    rows.push([name, (playouts / s).toFixed(0), (plies / playouts).toFixed(1), ((applies / s1) / 1e6).toFixed(2), ((masks / s2) / 1e6).toFixed(2)]);
  }
  table(['game', 'playouts/s', 'mean plies', 'M apply/s', 'M legalMask/s'], rows);
  console.log('States are immutable: apply() returns the copy, so its rate is also the copy rate.');
}

benchSolver();
if (playerPlies) benchPlayer(playerPlies);
if (withGames) benchGames();
