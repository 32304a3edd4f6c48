// The paper's protocol for training one agent (SPEC-paper.md: Games, Training, MCTS) and
// the list of ways a run departs from it, which the trainer writes into its log: a reader
// of any output can tell a scaled-down run from the paper's without opening the params.
// The report's table of the paper's budgets (src/report/paper-values.ts) takes these values.

import type { Deviation } from '../../schemas/types/train-log.ts';
import type { GameName } from '../games/index.ts';
import type { TrainConfig } from './train-config.ts';

export const PAPER_PROTOCOL = {
  connect4Board: { width: 7, height: 6 },
  steps: 10_000,
  checkpoints: [20, 30, 50, 70, 100, 150, 230, 340, 510, 770, 1150, 1730, 2590, 3880, 5820, 8730, 10_000],
  bufferSize: 65_536,
  reuse: 10,
  batchSize: 1024,
  learningRate: 1e-3,
  weightDecay: 1e-4,
  simulations: 300,
  c: 2,
  dirichletAlpha: 1,
  dirichletEpsilon: 0.25,
  temperaturePlies: { connect4: 15, pentago: 5 } as Record<GameName, number>,
  actors: 79,
} as const;

type Value = Deviation['paper'];

/** One protocol value: where params.json sets it, what kind of difference a change is, and how to read it from a config. */
interface Item {
  setting: string;
  kind: 'budget' | 'setting';
  paper: (game: GameName) => Value;
  used: (config: TrainConfig) => Value;
  note?: string;
}

const P = PAPER_PROTOCOL;

const ITEMS: Item[] = [
  {
    setting: 'study.connect4Board',
    kind: 'budget',
    paper: (game) => (game === 'connect4' ? { ...P.connect4Board } : {}),
    used: (c) => (c.game === 'connect4' ? { ...P.connect4Board, ...c.board } : {}),
    note: 'a smaller board is a different, easier game: Elo values are not comparable with the paper',
  },
  { setting: 'train.steps', kind: 'budget', paper: () => P.steps, used: (c) => c.steps },
  {
    setting: 'train.checkpoints',
    kind: 'budget',
    paper: () => [...P.checkpoints],
    used: (c) => [...c.checkpoints],
    note: 'the agents rated are the ones at these steps',
  },
  { setting: 'train.bufferSize', kind: 'budget', paper: () => P.bufferSize, used: (c) => c.bufferSize },
  {
    setting: 'train.reuse',
    kind: 'setting',
    paper: () => P.reuse,
    used: (c) => c.reuse,
    note: 'states per step D = floor(bufferSize / reuse): the compute C = S·T·F·D scales with it',
  },
  { setting: 'train.batchSize', kind: 'budget', paper: () => P.batchSize, used: (c) => c.batchSize },
  { setting: 'train.lr', kind: 'setting', paper: () => P.learningRate, used: (c) => c.learningRate },
  { setting: 'train.weightDecay', kind: 'setting', paper: () => P.weightDecay, used: (c) => c.weightDecay },
  {
    setting: 'mcts.simulations',
    kind: 'budget',
    paper: () => P.simulations,
    used: (c) => c.selfPlay.simulations,
    note: 'T in C = S·T·F·D; fewer simulations give weaker policy targets',
  },
  { setting: 'mcts.c', kind: 'setting', paper: () => P.c, used: (c) => c.selfPlay.mcts.c },
  { setting: 'mcts.dirichletAlpha', kind: 'setting', paper: () => P.dirichletAlpha, used: (c) => c.selfPlay.mcts.dirichletAlpha },
  { setting: 'mcts.dirichletEpsilon', kind: 'setting', paper: () => P.dirichletEpsilon, used: (c) => c.selfPlay.mcts.dirichletEpsilon },
  { setting: 'mcts.temperaturePlies', kind: 'setting', paper: (game) => P.temperaturePlies[game], used: (c) => c.selfPlay.temperaturePlies },
];

/**
 * The run's departures from the paper, in a fixed order: every protocol value that differs,
 * then the implementation's choices, which every run makes.
 */
export function deviationsFromPaper(config: TrainConfig): Deviation[] {
  const out: Deviation[] = [];
  for (const item of ITEMS) {
    const paper = item.paper(config.game);
    const used = item.used(config);
    if (JSON.stringify(paper) === JSON.stringify(used)) continue;
    out.push({ setting: item.setting, kind: item.kind, paper, used, ...(item.note ? { note: item.note } : {}) });
  }
  const { concurrentGames } = config.selfPlay;
  const workers = config.selfPlayWorkers;
  out.push(
    {
      setting: 'value target',
      kind: 'implementation',
      paper: "the first player's outcome (OpenSpiel 1.0), with inputs relative to the player to move",
      used: 'the outcome for the player to move',
      note: 'consistent with the inputs; SPEC-paper.md asks for it to be recorded',
    },
    {
      setting: 'self-play scheduling',
      kind: 'implementation',
      paper: `${P.actors} asynchronous actors, one game each, taking new weights as they arrive`,
      used: `${concurrentGames} games in lockstep per worker x ${workers} worker${workers === 1 ? '' : 's'}, one network call per simulation round; weights change only between training steps`,
      note: 'the same search and targets; games in flight when a step ends continue with the new weights',
    },
  );
  return out;
}
