// A self-play worker thread: its share of the game slots, its own network copy (weights sent
// by the coordinator whenever they change) and its own evaluation cache. It answers one
// request at a time; see selfplay-runner.ts for the protocol and the merge order.

import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from './backend.ts';
import { PolicyValueNetwork } from './network.ts';
import { emptyStats, SelfPlay } from './selfplay.ts';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './selfplay-runner.ts';
import { makeGame } from './train-config.ts';

const port = parentPort;
if (!port) throw new Error('selfplay-worker.ts must run as a worker thread');
const setup = workerData as WorkerSetup;
const reply = (r: WorkerReply) => port.postMessage(r);

try {
  await selectBackend({ force: setup.backend, log: () => {} });
  const game = makeGame(setup);
  const net = PolicyValueNetwork.create({ inputSize: game.observationSize, numActions: game.numActions, width: setup.width }, 0);
  const selfPlay = new SelfPlay(game, setup.options, setup.seed, setup.slots);

  port.on('message', (request: WorkerRequest) => {
    try {
      switch (request.type) {
        case 'weights':
          net.setFlatWeights(request.weights);
          selfPlay.clearCache();
          reply({ type: 'ok' });
          break;
        case 'move': {
          const stats = emptyStats();
          const finished = selfPlay.step(net, stats);
          reply({ type: 'moved', finished, stats });
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
          port.close();
          break;
      }
    } catch (e) {
      reply({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
  reply({ type: 'ready' });
} catch (e) {
  reply({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}
