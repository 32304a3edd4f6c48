// One train stage's self-play, alone on a worker thread, for bench:selfplay's '2 stages'
// column: the default and ci profiles give each train stage one self-play thread and use the
// second core by running two stages at once (`repro run --jobs` defaults to the cores).
// Those stages share nothing, so the bench runs two of these side by side and adds up
// their rates. Each thread times its collects only once both threads are warm, so the two
// measurements overlap.

import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../src/az/backend.ts';
import { PolicyValueNetwork } from '../src/az/network.ts';
import { createSelfPlayRunner, type RunnerSetup } from '../src/az/selfplay-runner.ts';
import { getGame } from '../src/games/index.ts';

export interface StageThreadSetup {
  /** A one-worker runner's setup: the stage's own seed. */
  runner: RunnerSetup;
  /** The bench's network, as getFlatWeights() gives it. */
  weights: Float32Array[];
  statesPerCollect: number;
  warmupSeconds: number;
  seconds: number;
  /** One int32 that every thread increments once warm: all of them start timing when it reaches `threads`. */
  start: SharedArrayBuffer;
  threads: number;
}

export interface StageThreadResult {
  type: 'rate';
  simulations: number;
  ms: number;
}

if (parentPort !== null) {
  const setup = workerData as StageThreadSetup;
  await selectBackend({ force: setup.runner.backend, log: () => {} });
  const game = getGame(setup.runner.game);
  const net = PolicyValueNetwork.create({ inputSize: game.observationSize, numActions: game.numActions, width: setup.runner.width }, 0);
  net.setFlatWeights(setup.weights);
  const runner = createSelfPlayRunner(setup.runner);
  const warmup = performance.now();
  while (performance.now() - warmup < setup.warmupSeconds * 1000) await runner.collect(net, setup.statesPerCollect);
  const started = new Int32Array(setup.start);
  Atomics.add(started, 0, 1);
  // Still collecting while the others warm up, so this thread's tiers stay as warm as theirs.
  while (Atomics.load(started, 0) < setup.threads) await runner.collect(net, setup.statesPerCollect);
  let simulations = 0;
  const start = performance.now();
  while (performance.now() - start < setup.seconds * 1000) simulations += (await runner.collect(net, setup.statesPerCollect)).stats.simulations;
  const result: StageThreadResult = { type: 'rate', simulations, ms: performance.now() - start };
  parentPort.postMessage(result);
  await runner.close();
  net.dispose();
}
