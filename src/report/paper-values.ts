// What the paper reports (Neumann & Gros, ICLR 2023; SPEC-paper.md), for the report to set
// this run beside. Budgets are keyed by the dotted params.json key that plays the same role
// here, so the report can line them up with whatever keys its stage declares.

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

const CHECKPOINTS = [20, 30, 50, 70, 100, 150, 230, 340, 510, 770, 1150, 1730, 2590, 3880, 5820, 8730, 10000];

export const PAPER_BUDGETS: readonly PaperBudget[] = [
  { key: 'study.widths.connect4', paper: [4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256] },
  { key: 'study.widths.pentago', paper: [4, 8, 16, 32, 64, 128, 256] },
  { key: 'study.copies', paper: 6, note: 'independent seeds per width' },
  { key: 'train.steps', paper: 10000 },
  { key: 'train.checkpoints', paper: CHECKPOINTS },
  { key: 'train.bufferSize', paper: 65536, note: 'FIFO replay buffer (states)' },
  { key: 'train.reuse', paper: 10, note: 'a step collects bufferSize/reuse new states (6,553)' },
  { key: 'train.batchSize', paper: 1024 },
  { key: 'train.lr', paper: 0.001 },
  { key: 'train.weightDecay', paper: 0.0001 },
  { key: 'mcts.simulations', paper: 300, note: 'per move, self-play' },
  { key: 'mcts.c', paper: 2 },
  { key: 'mcts.dirichletAlpha', paper: 1 },
  { key: 'mcts.dirichletEpsilon', paper: 0.25 },
  { key: 'mcts.temperaturePlies.connect4', paper: 15 },
  { key: 'mcts.temperaturePlies.pentago', paper: 5 },
  { key: 'tournament.gamesPerPair', paper: 800, note: 'evaluation games per pair of players' },
  { key: 'tournament.simulations', paper: 300, note: 'per move, evaluation matches' },
  { key: 'tournament.temperature', paper: 0.25, note: 'moves sampled from N(a)^(1/T)' },
];
