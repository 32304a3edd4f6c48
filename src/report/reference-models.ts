// AlphaGo Zero and AlphaZero on Figure 1. Neither paper states its parameter count or its
// training FLOPs, so both are estimated here from what the papers do state, with the study's
// own definitions, so that the points are comparable with our fitted law:
//   parameters: learnable weights of the residual network the paper describes (convolution
//     kernels without biases, as batch norm follows each; batch-norm scale and shift; the
//     heads' dense layers with biases);
//   compute: C = S·T·F·D of SPEC-paper.md, i.e. self-play positions × MCTS simulations per
//     move × forward-pass FLOPs (F = 2 FLOPs per multiply-add; a 3×3 convolution on 19×19 is
//     applied at 361 positions), training FLOPs left out as in the study.
// Sources:
//   AlphaGo Zero: Silver et al., "Mastering the game of Go without human knowledge", Nature
//     550, 354–359 (2017), Methods: the 40-block run (one convolutional block + 39 residual
//     blocks of 256 3×3 filters, 17 input planes on 19×19), 29 million self-play games,
//     1,600 simulations per move.
//   AlphaZero: Silver et al., "Mastering Chess and Shogi by Self-Play with a General
//     Reinforcement Learning Algorithm", arXiv:1712.01815 (2017), Table 1 and Methods; Go
//     network as AlphaGo Zero's 20-block one (19 residual blocks), 21 million games,
//     800 simulations per move.
// Assumption (not in either paper): a mean self-play game length of 200 plies. A factor of
// 1.25 either way moves a point by 0.1 decade, small against the two decades the paper reports.
// Cross-check: the AlphaGo Zero estimate (≈3×10²³ FLOPs) is of the order of Epoch AI's
// hardware-based estimate for the same run (≈3.4×10²³ FLOPs, Sevilla et al. 2022).

/** A published model's size and training compute, with the derivation spelled out for the report. */
export interface ReferenceModelEstimate {
  name: string;
  parameters: number;
  compute: number;
  source: string;
}

const GO_POINTS = 19 * 19;
const FILTERS = 256;
const GO_INPUT_PLANES = 17;
const ASSUMED_GAME_PLIES = 200;

interface GoResNet {
  residualBlocks: number;
}

/** Learnable parameters and forward FLOPs of AlphaGo Zero's dual-head residual network. */
export function goResNetCost({ residualBlocks }: GoResNet): { parameters: number; forwardFlops: number } {
  const batchNorm = (channels: number) => 2 * channels;
  const convKernels =
    3 * 3 * GO_INPUT_PLANES * FILTERS + // input convolution
    residualBlocks * 2 * 3 * 3 * FILTERS * FILTERS + // two convolutions per residual block
    FILTERS * 2 + // policy head 1×1 convolution, 2 filters
    FILTERS * 1; // value head 1×1 convolution, 1 filter
  const batchNorms = batchNorm(FILTERS) * (1 + 2 * residualBlocks) + batchNorm(2) + batchNorm(1);
  const denseWeights = 2 * GO_POINTS * (GO_POINTS + 1) + GO_POINTS * 256 + 256 * 1;
  const denseBiases = GO_POINTS + 1 + 256 + 1;
  return {
    parameters: convKernels + batchNorms + denseWeights + denseBiases,
    forwardFlops: 2 * convKernels * GO_POINTS + 2 * denseWeights + denseBiases,
  };
}

function estimate(name: string, residualBlocks: number, games: number, simulations: number, citation: string): ReferenceModelEstimate {
  const { parameters, forwardFlops } = goResNetCost({ residualBlocks });
  const positions = games * ASSUMED_GAME_PLIES;
  return {
    name,
    parameters,
    compute: positions * simulations * forwardFlops,
    source:
      `${citation}: ${residualBlocks} residual blocks of ${FILTERS} filters (${parameters.toLocaleString('en-US')} parameters counted from the architecture), ` +
      `${(games / 1e6).toFixed(0)} million self-play games × ${ASSUMED_GAME_PLIES} plies (assumed mean length) × ${simulations} simulations × ` +
      `${forwardFlops.toExponential(2)} FLOPs per forward pass`,
  };
}

export const REFERENCE_MODELS: readonly ReferenceModelEstimate[] = [
  estimate('AlphaGo Zero', 39, 29e6, 1600, 'Silver et al., Nature 550:354 (2017), 40-block run'),
  estimate('AlphaZero', 19, 21e6, 800, 'Silver et al., arXiv:1712.01815 (2017), Go'),
];
