// Stage: the Connect Four opening book (per-column scores of every position with at most
// `book.depth` stones, up to mirror symmetry), written as the binary format documented in
// src/solvers/connect4/opening-book.ts. Params read: book.depth (integer >= 0).
// The bytes depend on the depth only; times and node counts go to the run record.
// The searches run on worker threads, one per core (os.availableParallelism(), or the
// C4_BOOK_WORKERS environment variable): declare resources.cpus to match. The worker count
// changes the speed, never the bytes.

import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import type { StageContext } from '../src/engine/context.ts';
import { buildOpeningBookParallel } from '../src/solvers/connect4/opening-book.ts';

export async function run(ctx: StageContext): Promise<void> {
  const depth = ctx.param<number>('book.depth');
  if (!Number.isInteger(depth) || depth < 0 || depth > 41) {
    throw new RangeError(`params.json: book.depth must be an integer in 0..41, got ${JSON.stringify(depth)}`);
  }
  const out = ctx.outs[0];
  if (out === undefined) throw new Error(`${ctx.id}: declare one output (the book file)`);

  const workers = Number(process.env.C4_BOOK_WORKERS ?? availableParallelism());
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`C4_BOOK_WORKERS must be a positive integer, got ${process.env.C4_BOOK_WORKERS}`);
  const started = Date.now();
  let lastReport = 0;
  const { book, stats } = await buildOpeningBookParallel(depth, {
    workers,
    onProgress: ({ depth: level, done, total }) => {
      const now = Date.now();
      if (done === total || now - lastReport > 1000) {
        lastReport = now;
        ctx.progress(done, total, `ply ${level}`);
      }
    },
  });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, book.serialize());
  const seconds = (Date.now() - started) / 1000;
  ctx.log(`opening book depth ${depth}: ${book.size} positions, ${stats.searchedPositions} searched, ${stats.nodes} nodes, ${seconds.toFixed(1)} s`);
  ctx.record({ workers, bookPositions: book.size, searchedPositions: stats.searchedPositions, searchNodes: stats.nodes, buildSeconds: seconds });
}
