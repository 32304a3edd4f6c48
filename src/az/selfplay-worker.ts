// A self-play worker thread: its share of the game slots, its own network copy (the weights
// come with every collect) and its own evaluation cache. It answers one request at a time, on
// the reply port the coordinator polls; see selfplay-runner.ts for the protocol and the merge
// order, lockstep-collect.ts and move-barrier.ts for the lockstep with the other threads.

import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { selectBackend } from './backend.ts';
import { PolicyValueNetwork } from './network.ts';
import { MoveBarrier, WorkerAbortedError } from './move-barrier.ts';
import { collectInLockstep } from './lockstep-collect.ts';
import { SelfPlay } from './selfplay.ts';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './selfplay-runner.ts';
import { makeGame } from './train-config.ts';

const port = parentPort;
if (!port) throw new Error('selfplay-worker.ts must run as a worker thread');
const setup = workerData as WorkerSetup;
const reply = (r: WorkerReply, transfer: ArrayBuffer[] = []) => setup.replyPort.postMessage(r, transfer);

/** How long a worker that has replied to a collect polls for the next request before it sleeps. */
const POLL_MS = 1;

/** The next request, if one arrives within POLL_MS. */
function awaitBriefly(port: MessagePort): WorkerRequest | undefined {
  const until = performance.now() + POLL_MS;
  do {
    const received = receiveMessageOnPort(port);
    if (received !== undefined) return received.message as WorkerRequest;
  } while (performance.now() < until);
  return undefined;
}

try {
  await selectBackend({ force: setup.backend, log: () => {} });
  const game = makeGame(setup);
  const net = PolicyValueNetwork.create({ inputSize: game.observationSize, numActions: game.numActions, width: setup.width }, 0);
  const selfPlay = new SelfPlay(game, setup.options, setup.seed, setup.slots, setup.search);
  const barrier = new MoveBarrier(setup.barrier, setup.workers);
  /** Moves played over the runner's life: every worker counts the same. */
  let movesPlayed = 0;

  const serve = (request: WorkerRequest): void => {
    try {
      switch (request.type) {
        case 'collect': {
          const start = performance.now();
          net.setFlatWeights(request.weights);
          const collected = collectInLockstep(selfPlay, net, request.minStates, barrier, setup.index, movesPlayed);
          movesPlayed = collected.movesPlayed;
          const { moves, stats, lockstep } = collected;
          // The records' arrays are this reply's alone (finish() copies them out): moved, not copied.
          const arrays = moves.flatMap((games) => games.flatMap((g) => [g.observations.buffer, g.legalMasks.buffer, g.visitCounts.buffer, g.valueTargets.buffer] as ArrayBuffer[]));
          reply({ type: 'collected', moves, stats, lockstep: { ...lockstep, collectMs: performance.now() - start } }, arrays);
          break;
        }
        case 'inFlight':
          reply({ type: 'inFlight', games: selfPlay.inFlight() });
          break;
        case 'restore':
          selfPlay.restoreInFlight(request.games);
          reply({ type: 'ok' });
          break;
        case 'close':
          net.dispose();
          setup.replyPort.close();
          port.close();
          break;
      }
    } catch (e) {
      if (e instanceof WorkerAbortedError) {
        reply({ type: 'aborted' });
        return;
      }
      // The others may be waiting for this worker's next move, which will never come.
      barrier.abort();
      reply({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  };
  port.on('message', (request: WorkerRequest) => {
    serve(request);
    // The next collect's request follows within a fraction of a millisecond where nothing
    // trains in between (a benchmark, a profile's short steps): polled for a moment here, it
    // finds this thread awake instead of waking it from its event loop (~0.25 ms on a VM).
    for (let more = request.type === 'collect'; more; ) {
      const next = awaitBriefly(port);
      more = next?.type === 'collect';
      if (next !== undefined) serve(next);
    }
  });
  reply({ type: 'ready' });
} catch (e) {
  reply({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}
