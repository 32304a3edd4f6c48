// Worker thread of the parallel book builder: solves the positions whose keys it is sent,
// with its own solver and transposition table (kept warm across its batches).

import { parentPort, workerData } from 'node:worker_threads';
import { Position } from './position.ts';
import { Solver } from './solver.ts';

export interface SolveRequest {
  keys: number[];
}
export type SolveReply = { type: 'ready' } | { type: 'solved'; values: number[]; nodes: number } | { type: 'error'; message: string };

const port = parentPort!;
const solver = new Solver({ ttLog2Size: (workerData as { ttLog2Size: number }).ttLog2Size });
port.on('message', ({ keys }: SolveRequest) => {
  try {
    const before = solver.nodeCount;
    const values = keys.map((k) => {
      const pos = Position.fromKey(k);
      return pos.isFull() ? 0 : solver.solve(pos);
    });
    port.postMessage({ type: 'solved', values, nodes: solver.nodeCount - before } satisfies SolveReply);
  } catch (e) {
    port.postMessage({ type: 'error', message: String((e as Error).stack ?? e) } satisfies SolveReply);
  }
});
port.postMessage({ type: 'ready' } satisfies SolveReply);
