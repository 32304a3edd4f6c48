// Solves many independent positions over worker threads: the expensive part of building a
// deep opening book. Values are exact, so the result does not depend on the number of
// workers or on which worker solved what.

import type { Worker } from 'node:worker_threads';
import { startTypeScriptWorker } from '../../engine/typescript-worker.ts';
import type { SolveReply } from './book-worker.ts';

export interface ParallelSolveOptions {
  workers: number;
  /** log2 of each worker's table slots (8 bytes each). */
  ttLog2Size?: number;
  /** Positions per message: small enough to balance, large enough to amortise messaging. */
  batch?: number;
  onProgress?: (done: number, total: number) => void;
}

function startWorker(ttLog2Size: number): Worker {
  return startTypeScriptWorker(new URL('./book-worker.ts', import.meta.url), { ttLog2Size });
}

/** Exact score of every position key (see Position.key); none may be already decided. */
export async function solveInParallel(keys: readonly number[], options: ParallelSolveOptions): Promise<{ values: Map<number, number>; nodes: number }> {
  const values = new Map<number, number>();
  // Few, hard positions (shallow books) go one at a time so that every worker gets one.
  const batch = options.batch ?? Math.max(1, Math.min(8, Math.floor(keys.length / (4 * options.workers))));
  const count = Math.max(1, Math.min(options.workers, Math.ceil(keys.length / batch)));
  let next = 0;
  let nodes = 0;
  let done = 0;
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: count }, () =>
        new Promise<void>((resolve, reject) => {
          const worker = startWorker(options.ttLog2Size ?? 23);
          workers.push(worker);
          let sent: number[] = [];
          const send = () => {
            if (next >= keys.length) return resolve();
            sent = keys.slice(next, next + batch) as number[];
            next += sent.length;
            worker.postMessage({ keys: sent });
          };
          worker.on('message', (reply: SolveReply) => {
            if (reply.type === 'error') return reject(new Error(`book worker: ${reply.message}`));
            if (reply.type === 'solved') {
              sent.forEach((k, i) => values.set(k, reply.values[i]!));
              nodes += reply.nodes;
              done += sent.length;
              options.onProgress?.(done, keys.length);
            }
            send();
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (code !== 0) reject(new Error(`book worker exited with code ${code}`));
          });
        }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { values, nodes };
}
