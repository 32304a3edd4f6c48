// Stage: train one AlphaZero agent (train@<game>-w<width>-c<copy>).
// Args: { game: 'connect4' | 'pentago', width, copy, board?: { width, height } (Connect Four only) }.
// Params read (dotted keys): train.steps, train.checkpoints, train.bufferSize, train.reuse,
// train.batchSize, train.lr, train.weightDecay, mcts.simulations, mcts.c,
// mcts.dirichletAlpha, mcts.dirichletEpsilon, mcts.temperaturePlies (per game),
// selfplay.concurrentGames, selfplay.cacheSize, selfplay.workers, az.backend.
// Output (outs[0], a directory): checkpoints/step-NNNNNN/{model.json,weights.bin},
// training-log.json, compute.json. Same params + seed + backend → same bytes; times and the
// backend go to the run record (stepTimes: each step's wall time and its self-play,
// training and saving parts, from firstStep on; selfPlayLockstep: with several workers, the
// shares of their time that the lockstep cost). Resumable: a killed run continues from
// ctx.workDir.

import type { StageContext } from '../src/engine/context.ts';
import { Rng } from '../src/engine/rng.ts';
import { selectBackend, type BackendName } from '../src/az/backend.ts';
import { lockstepShares, type LockstepReport } from '../src/az/selfplay-runner.ts';
import { train, type StepTime, type TrainConfig } from '../src/az/train.ts';
import type { Connect4Options, GameName } from '../src/games/index.ts';

export async function run(ctx: StageContext): Promise<void> {
  const out = ctx.outs[0];
  if (out === undefined) throw new Error(`${ctx.id}: declare one output (the agent's directory)`);
  const config = configFrom(ctx);
  const backend = await selectBackend({ force: ctx.param<BackendName | 'auto'>('az.backend'), log: (line) => ctx.log(line) });
  ctx.record({ tfBackend: backend.name, tfDevice: backend.device, tfBackendSkipped: backend.skipped });

  const started = Date.now();
  let selfPlayEvaluations = 0;
  const stepTimes = new StepTimes();
  const result = await train(config, {
    workDir: ctx.workDir,
    outDir: out,
    resumeIntervalSeconds: 60,
    log: (line) => ctx.log(line),
    onStep: ({ step, steps, time, entry }) => {
      selfPlayEvaluations += entry.evaluations;
      stepTimes.add(step, time);
      ctx.progress(step, steps, `step ${step}/${steps}`);
      ctx.log(
        `step ${step}/${steps}: ${entry.games} games, ${entry.states} states (mean length ${entry.meanGameLength.toFixed(1)}), ` +
          `loss ${entry.loss.total.toFixed(4)} (policy ${entry.loss.policy.toFixed(4)}, value ${entry.loss.value.toFixed(4)}), ` +
          `${time.seconds.toFixed(1)} s (self-play ${time.selfPlaySeconds.toFixed(1)}, training ${time.trainingSeconds.toFixed(1)})`,
      );
    },
  });
  const seconds = (Date.now() - started) / 1000;
  const selfPlaySeconds = stepTimes.total('selfPlaySeconds');
  ctx.record({
    trainSeconds: seconds,
    resumedFromStep: result.resumedFrom,
    stepsThisRun: result.steps - result.resumedFrom,
    selfPlaySeconds,
    trainingSeconds: stepTimes.total('trainingSeconds'),
    savingSeconds: stepTimes.total('savingSeconds'),
    selfPlayEvaluationsPerSecond: selfPlaySeconds > 0 ? selfPlayEvaluations / selfPlaySeconds : null,
    stepTimes: stepTimes.record(),
    selfPlayLockstep: lockstepFacts(result.selfPlayLockstep),
  });
}

/** With several self-play workers, what their lockstep cost them: shares of their time (selfplay-runner.ts). */
function lockstepFacts(report: LockstepReport | null): Record<string, number> | null {
  if (report === null) return null;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const { dropped, waiting, handOff } = lockstepShares(report);
  return { workers: report.workers, collects: report.collects, droppedSearchShare: round(dropped), waitingShare: round(waiting), handOffShare: round(handOff) };
}

/** Each step's times, as columns (a paper-scale run has 10,000 steps), in milliseconds' precision. */
class StepTimes {
  private firstStep: number | null = null;
  private readonly columns: Record<keyof StepTime, number[]> = { seconds: [], selfPlaySeconds: [], trainingSeconds: [], savingSeconds: [] };

  add(step: number, time: StepTime): void {
    this.firstStep ??= step;
    for (const key of Object.keys(this.columns) as (keyof StepTime)[]) this.columns[key].push(Math.round(time[key] * 1000) / 1000);
  }

  total(key: keyof StepTime): number {
    return Math.round(this.columns[key].reduce((a, b) => a + b, 0) * 1000) / 1000;
  }

  record(): { firstStep: number | null } & Record<keyof StepTime, number[]> {
    return { firstStep: this.firstStep, ...this.columns };
  }
}

/** Builds the training config from the declared params, the matrix args and the seed. */
export function configFrom(ctx: Pick<StageContext, 'param' | 'args' | 'seed' | 'id'>): TrainConfig {
  const game = ctx.args['game'] as GameName;
  const width = ctx.args['width'] as number;
  const copy = (ctx.args['copy'] as number | undefined) ?? 0;
  if (game !== 'connect4' && game !== 'pentago') throw new RangeError(`${ctx.id}: args.game must be connect4 or pentago, got ${JSON.stringify(game)}`);
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`${ctx.id}: args.width must be a positive integer, got ${JSON.stringify(width)}`);
  const board = (ctx.args['board'] as Connect4Options | undefined) ?? {};
  if (game === 'pentago' && Object.keys(board).length > 0) throw new RangeError(`${ctx.id}: args.board is for Connect Four only`);
  const temperaturePlies = ctx.param<Record<GameName, number>>('mcts.temperaturePlies')[game];
  if (!Number.isInteger(temperaturePlies)) throw new RangeError(`params.json: mcts.temperaturePlies.${game} must be an integer`);
  return {
    game,
    board,
    width,
    // Copies must differ even when the pipeline gives every instance the same seed.
    seed: new Rng(ctx.seed, `train/${game}/w${width}/c${copy}`).nextU32(),
    steps: ctx.param<number>('train.steps'),
    checkpoints: ctx.param<number[]>('train.checkpoints'),
    bufferSize: ctx.param<number>('train.bufferSize'),
    reuse: ctx.param<number>('train.reuse'),
    batchSize: ctx.param<number>('train.batchSize'),
    learningRate: ctx.param<number>('train.lr'),
    weightDecay: ctx.param<number>('train.weightDecay'),
    selfPlay: {
      simulations: ctx.param<number>('mcts.simulations'),
      mcts: {
        c: ctx.param<number>('mcts.c'),
        dirichletAlpha: ctx.param<number>('mcts.dirichletAlpha'),
        dirichletEpsilon: ctx.param<number>('mcts.dirichletEpsilon'),
      },
      temperaturePlies,
      concurrentGames: ctx.param<number>('selfplay.concurrentGames'),
      cacheSize: ctx.param<number>('selfplay.cacheSize'),
    },
    selfPlayWorkers: ctx.param<number>('selfplay.workers'),
  };
}
