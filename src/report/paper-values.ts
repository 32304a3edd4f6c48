// What the paper reports (Neumann & Gros, ICLR 2023; SPEC-paper.md), for the report to set
// this run beside. Budgets are keyed by the dotted params.json key that plays the same role
// here, so the report can line them up with whatever keys its stage declares. The training
// and search protocol is src/az/paper-protocol.ts's, which the trainer also checks runs against.

import { PAPER_PROTOCOL as P } from '../az/paper-protocol.ts';

export const PAPER_EXPONENTS = {
  /** Elo ≈ 400·α_N·log10 N + c for fully trained agents (≈ 350 Elo per decade). */
  alphaN: 0.88,
  /** Along the Pareto front of Elo vs training compute. */
  alphaC: 0.55,
  /** N_opt ∝ C^(α_C/α_N). */
  optimalSize: 0.63,
} as const;

export const PAPER_CITATION = 'Neumann & Gros, "Scaling Laws for a Multi-Agent Reinforcement Learning Model", ICLR 2023 (arXiv:2210.00849)';

/** One budget as the paper ran it; `note` says where this repository's key differs in meaning. */
export interface PaperBudget {
  key: string;
  paper: unknown;
  note?: string;
}

export const PAPER_BUDGETS: readonly PaperBudget[] = [
  { key: 'study.widths.connect4', paper: [4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256] },
  { key: 'study.widths.pentago', paper: [4, 8, 16, 32, 64, 128, 256] },
  { key: 'study.copies', paper: 6, note: 'independent seeds per width' },
  { key: 'train.steps', paper: P.steps },
  { key: 'train.checkpoints', paper: [...P.checkpoints] },
  { key: 'train.bufferSize', paper: P.bufferSize, note: 'FIFO replay buffer (states)' },
  { key: 'train.reuse', paper: P.reuse, note: 'a step collects bufferSize/reuse new states (6,553)' },
  { key: 'train.batchSize', paper: P.batchSize },
  { key: 'train.lr', paper: P.learningRate },
  { key: 'train.weightDecay', paper: P.weightDecay },
  { key: 'mcts.simulations', paper: P.simulations, note: 'per move, self-play' },
  { key: 'mcts.c', paper: P.c },
  { key: 'mcts.dirichletAlpha', paper: P.dirichletAlpha },
  { key: 'mcts.dirichletEpsilon', paper: P.dirichletEpsilon },
  { key: 'mcts.temperaturePlies.connect4', paper: P.temperaturePlies.connect4 },
  { key: 'mcts.temperaturePlies.pentago', paper: P.temperaturePlies.pentago },
  { key: 'tournament.gamesPerPair', paper: 800, note: 'evaluation games per pair of players' },
  { key: 'tournament.simulations', paper: 300, note: 'per move, evaluation matches' },
  { key: 'tournament.temperature', paper: 0.25, note: 'moves sampled from N(a)^(1/T)' },
];
