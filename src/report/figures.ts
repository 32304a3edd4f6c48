// The figures of one game: their data (the JSON `repro verify` compares) and their
// Vega-Lite specs, named `<game>-fig<N>` as the figures stage writes them.
import type { ReportFigureData } from '../../schemas/types/report-figure-data.ts';
import { gameFigureData } from './figure-data.ts';
import type { GameFigureInput } from './figure-inputs.ts';
import { figureSpec, type VegaLiteSpec } from './figure-specs.ts';

export type { GameFigureInput, Level } from './figure-inputs.ts';
export type { ReportFigureData } from '../../schemas/types/report-figure-data.ts';
export type { VegaLiteSpec } from './figure-specs.ts';

export interface Figure {
  /** `<game>-fig<N>`: the stem of the figure's files. */
  name: string;
  data: ReportFigureData;
  spec: VegaLiteSpec;
}

export function figureName(game: string, figure: number): string {
  return `${game}-fig${figure}`;
}

/** The five figures of one game, in the paper's order. */
export function buildFigures(input: GameFigureInput): Figure[] {
  return gameFigureData(input).map((data) => ({ name: figureName(data.game, data.figure), data, spec: figureSpec(data) }));
}

/** The data behind every figure of one game, keyed by figure name (the JSON the figures stage writes). */
export function figureDataByName(input: GameFigureInput): Record<string, ReportFigureData> {
  return Object.fromEntries(gameFigureData(input).map((d) => [figureName(d.game, d.figure), d]));
}
