// A seeded synthetic study with known laws, fitted by the real src/rating fits, for the
// figure and report tests: Elo of a trained agent is 400·α_N·log10 N + c up to a perfect-play
// plateau, learning curves saturate faster for larger agents, compute is C = S·T·F·D.
import { Rng } from '../../src/engine/rng.ts';
import type { TrainingPoint } from '../../src/rating/fit-types.ts';
import { fitComputeFrontier, isFittedFrontier } from '../../src/rating/pareto-front.ts';
import { fitScalingLaws, type ScalingLawFits } from '../../src/rating/scaling-laws.ts';
import type { GameFigureInput, Level } from '../../src/report/figure-inputs.ts';
import { referenceLevels } from '../../src/report/figure-inputs.ts';
import type { RatingTable } from '../../schemas/types/rating-table.ts';
import type { TrainingCompute } from '../../schemas/types/train-compute.ts';

export const TRUE_ALPHA_N = 0.88;
export const PLATEAU_ELO = 800;

const INPUTS = { connect4: { nIn: 126, actions: 7 }, pentago: { nIn: 108, actions: 288 } } as const;
export type SyntheticGame = keyof typeof INPUTS;

export function mlpParameters(game: SyntheticGame, width: number): number {
  const { nIn, actions } = INPUTS[game];
  return 3 * width * width + (nIn + actions + 5) * width + actions + 1;
}

export interface SyntheticStudyOptions {
  game?: SyntheticGame;
  widths?: number[];
  copies?: number;
  steps?: number[];
  seed?: number;
  noiseElo?: number;
}

export interface SyntheticStudy {
  game: SyntheticGame;
  points: TrainingPoint[];
  fits: ScalingLawFits;
  input: GameFigureInput;
  ratingTable: RatingTable;
  computeByAgent: Map<string, TrainingCompute>;
}

const SIMULATIONS = 300;
const STATES_PER_STEP = 6553;

export function syntheticStudy(options: SyntheticStudyOptions = {}): SyntheticStudy {
  const game = options.game ?? 'connect4';
  const widths = options.widths ?? [4, 8, 16, 32, 64, 128, 256];
  const copies = options.copies ?? 3;
  const steps = options.steps ?? [20, 50, 100, 230, 510, 1150, 2590, 5820, 10000];
  const noise = options.noiseElo ?? 15;
  const rng = new Rng(options.seed ?? 7, `synthetic-study/${game}`);
  const smallest = mlpParameters(game, widths[0]!);
  const points: TrainingPoint[] = [];
  const computeByAgent = new Map<string, TrainingCompute>();
  for (const width of widths) {
    const parameters = mlpParameters(game, width);
    const forwardFlops = 2 * parameters; // close enough for a synthetic study
    const trained = 400 * TRUE_ALPHA_N * Math.log10(parameters / smallest) + 60;
    // Larger agents learn faster per step (the paper's sample efficiency).
    const tau = 900 * (parameters / smallest) ** -0.2;
    for (let copy = 0; copy < copies; copy++) {
      const agent = `${game}-w${width}-c${copy}`;
      const checkpoints = [];
      for (const step of steps) {
        const compute = step * SIMULATIONS * forwardFlops * STATES_PER_STEP;
        const progress = 1 - Math.exp(-step / tau);
        const elo = Math.min(PLATEAU_ELO - 5 * Math.abs(rng.normal()), progress * trained + noise * rng.normal());
        points.push({ id: `${agent}@${step}`, agent, parameters, step, compute, elo });
        checkpoints.push({
          step,
          checkpoint: `checkpoints/step-${String(step).padStart(6, '0')}`,
          paperCompute: compute,
          inferenceFlops: compute,
          cacheHitFlopsSaved: 0,
          trainingFlops: 0,
          spentFlops: compute,
          evaluations: 0,
          cacheHits: 0,
          terminalLeaves: 0,
          trainingSamples: 0,
          states: step * STATES_PER_STEP,
          games: 0,
        });
      }
      computeByAgent.set(agent, {
        parameters,
        forwardFlops,
        simulationsPerMove: SIMULATIONS,
        statesPerStep: STATES_PER_STEP,
        trainingFlopsPerSample: 3 * forwardFlops,
        checkpoints,
      });
    }
  }
  const fits = fitScalingLaws(game, points, {
    sizePlateau: { kind: 'not-significantly-below', plateauElo: PLATEAU_ELO, level: 0.95 },
    pointPlateau: { kind: 'within', plateauElo: PLATEAU_ELO, margin: 30 },
  });
  const references: Level[] = [
    { name: 'solver', elo: PLATEAU_ELO },
    { name: 'random', elo: -150 },
  ];
  const ratingTable: RatingTable = {
    method: 'bradley-terry',
    zeroPlayer: points[0]!.id,
    zeroRule: 'weakest player',
    players: [
      ...references.map((r) => ({ name: r.name, elo: r.elo, games: 100, score: 0.5 })),
      ...points.map((p) => ({ name: p.id, elo: p.elo, games: 100, score: 0.5 })),
    ],
    converged: true,
    iterations: 5,
  };
  const input: GameFigureInput = { game, fits, points, eloMethod: 'bradley-terry', levels: referenceLevels(fits, references) };
  return { game, points, fits, input, ratingTable, computeByAgent };
}

/**
 * The study with α_C unfitted, as a front too short below its plateau leaves it: a plateau
 * put at the front's third point leaves 2. The stages downstream must draw and report that.
 */
export function withoutComputeFit(study: SyntheticStudy): SyntheticStudy {
  const plateauElo = study.fits.computeFrontier.front[2]!.y;
  const computeFrontier = fitComputeFrontier(study.points, { plateau: { kind: 'within', plateauElo, margin: 0 } });
  if (isFittedFrontier(computeFrontier)) throw new Error('withoutComputeFit: the front was fitted');
  const { predicted: _, ...optimalSize } = study.fits.optimalSize; // α_C/α_N needs α_C
  const fits: ScalingLawFits = { ...study.fits, optimalSize, computeFrontier };
  return { ...study, fits, input: { ...study.input, fits } };
}
