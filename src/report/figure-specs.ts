// Vega-Lite specs of the five figures, drawn from the figure data alone (figure-data.ts), so
// a figure and the JSON `repro verify` compares can never disagree. Data are inlined in the
// spec: rendering needs no files and the same data give the same picture.
import type {
  CheckpointFigure,
  ComputeFigure,
  Level,
  OptimalSizeFigure,
  ReportFigureData,
  SampleEfficiencyFigure,
  SizeScalingFigure,
} from '../../schemas/types/report-figure-data.ts';
import { logAxis } from './log-axis.ts';

/** A Vega-Lite spec as plain JSON (vega-lite validates it when compiling). */
export type VegaLiteSpec = Record<string, unknown>;

/** DejaVu Sans is what the PNG renderer loads (render.ts); browsers fall back to their sans-serif. */
export const FIGURE_FONT = 'DejaVu Sans, Verdana, sans-serif';

const WIDTH = 480;
const HEIGHT = 300;

const CONFIG = {
  font: FIGURE_FONT,
  background: 'white',
  padding: 8,
  title: { fontSize: 14, anchor: 'start', offset: 10 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', labelLimit: 400, titleLimit: 300 },
  view: { stroke: '#bbb' },
};

// One colour per named series, shared by all single-colour layers of a figure.
const INK = '#222222';
const FIT = '#d62728';
const HIGHLIGHT = '#1f77b4';
const MUTED = '#8c8c8c';
const REFERENCE = '#ff7f0e';

/** Sizes as a legend with thousands separators (an ordinal field's legend ignores `format`). */
const SIZE_LEGEND = { title: 'parameters', orient: 'right', labelExpr: "format(datum.value, ',')" };

const ELO_TITLE = (method: string) => `Elo (${method === 'bayeselo' ? 'BayesElo' : method === 'bradley-terry' ? 'Bradley–Terry' : method})`;
const PARAMETERS_TITLE = 'parameters N';
const COMPUTE_TITLE = 'training compute C (FLOPs)';

interface Series {
  name: string;
  color: string;
}

/** A colour encoding on the constant field `series`, whose legend lists every series in order. */
function seriesColor(series: readonly Series[], title: string | null = null) {
  return {
    field: 'series',
    type: 'nominal',
    scale: { domain: series.map((s) => s.name), range: series.map((s) => s.color) },
    legend: { title, orient: 'bottom', direction: 'vertical', columns: 2, labelLimit: 400 },
  };
}

function withSeries<T extends object>(rows: readonly T[], series: Series): (T & { series: string })[] {
  return rows.map((r) => ({ ...r, series: series.name }));
}

function extent(values: readonly number[]): [number, number] {
  return [Math.min(...values), Math.max(...values)];
}

/** Padded linear Elo domain covering the values and every level. */
function eloDomain(values: readonly number[], levels: readonly Level[] = []): [number, number] {
  const [lo, hi] = extent([...values, ...levels.map((l) => l.elo)]);
  const pad = Math.max(25, (hi - lo) * 0.06);
  return [Math.floor((lo - pad) / 50) * 50, Math.ceil((hi + pad) / 50) * 50];
}

/** Dashed horizontal rules, one per level, labelled at the left end where the weak, small agents leave room. */
function levelLayers(levels: readonly Level[]): VegaLiteSpec[] {
  if (levels.length === 0) return [];
  const values = levels.map((l) => ({ name: l.name, elo: l.elo }));
  return [
    {
      data: { values },
      mark: { type: 'rule', color: MUTED, strokeDash: [6, 4], strokeWidth: 1.2 },
      encoding: { y: { field: 'elo', type: 'quantitative' } },
    },
    {
      data: { values },
      mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 4, dy: -2, fontSize: 10, color: '#555', x: 0 },
      encoding: { y: { field: 'elo', type: 'quantitative' }, text: { field: 'name', type: 'nominal' } },
    },
  ];
}

function frame(title: string, layer: VegaLiteSpec[], extra: VegaLiteSpec = {}): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    layer,
    ...extra,
  };
}

export function optimalSizeSpec(d: OptimalSizeFigure): VegaLiteSpec {
  const series: Series[] = [
    { name: `fit: N_opt ∝ C^${d.fit.exponent.toFixed(2)}`, color: FIT },
    { name: 'compute-optimal size (fitted)', color: HIGHLIGHT },
    { name: 'left out of the fit', color: MUTED },
    { name: 'AlphaGo Zero, AlphaZero (estimates)', color: REFERENCE },
  ];
  const [fit, used, excluded, reference] = series as [Series, Series, Series, Series];
  const computes = [...d.budgets.map((b) => b.compute), ...d.references.map((r) => r.compute), ...d.extrapolation.map((p) => p.compute)];
  const sizes = [
    ...d.budgets.map((b) => b.parameters),
    ...d.references.flatMap((r) => [r.parameters, r.lawParameters]),
    ...d.line.map((p) => p.parameters),
  ];
  const x = logAxis(...extent(computes), COMPUTE_TITLE);
  const y = logAxis(...extent(sizes), 'compute-optimal parameters N_opt');
  const enc = (extra: VegaLiteSpec = {}) => ({
    x: { field: 'compute', type: 'quantitative', scale: x.scale, axis: x.axis },
    y: { field: 'parameters', type: 'quantitative', scale: y.scale, axis: y.axis },
    color: seriesColor(series),
    ...extra,
  });
  return frame(d.title, [
    { data: { values: withSeries(d.line, fit) }, mark: { type: 'line', strokeWidth: 2 }, encoding: enc() },
    { data: { values: withSeries(d.extrapolation, fit) }, mark: { type: 'line', strokeWidth: 1.5, strokeDash: [6, 4] }, encoding: enc() },
    {
      data: {
        values: withSeries(
          d.budgets.filter((b) => b.used),
          used,
        ),
      },
      mark: { type: 'point', filled: true, size: 45 },
      encoding: enc(),
    },
    {
      data: {
        values: withSeries(
          d.budgets.filter((b) => !b.used),
          excluded,
        ),
      },
      mark: { type: 'point', filled: false, size: 45, strokeWidth: 1.2 },
      encoding: enc(),
    },
    {
      data: { values: withSeries(d.references, reference) },
      mark: { type: 'point', shape: 'diamond', filled: true, size: 110 },
      encoding: enc(),
    },
    {
      data: { values: withSeries(d.references, reference) },
      mark: { type: 'text', align: 'right', dx: -9, fontSize: 10, color: '#333' },
      encoding: { ...enc(), color: { value: '#333' }, text: { field: 'name', type: 'nominal' } },
    },
  ]);
}

export function sizeScalingSpec(d: SizeScalingFigure): VegaLiteSpec {
  const series: Series[] = [
    { name: 'copy (fitted)', color: HIGHLIGHT },
    { name: 'copy (on the plateau, left out)', color: MUTED },
    { name: 'mean over copies', color: INK },
    { name: `fit: ${d.fit.slope.toFixed(0)} Elo/decade (α_N = ${d.fit.exponent.toFixed(2)})`, color: FIT },
  ];
  const [used, excluded, means, fit] = series as [Series, Series, Series, Series];
  const fittedCopies = d.copies.filter((c) => c.used);
  const plateauCopies = d.copies.filter((c) => !c.used);
  const x = logAxis(...extent(d.copies.map((c) => c.parameters)), PARAMETERS_TITLE);
  const elos = [...d.copies.map((c) => c.elo), ...d.line.map((p) => p.elo)];
  const enc = () => ({
    x: { field: 'parameters', type: 'quantitative', scale: x.scale, axis: x.axis },
    y: {
      field: 'elo',
      type: 'quantitative',
      scale: { domain: eloDomain(elos, d.levels), nice: false },
      axis: { title: ELO_TITLE(d.eloMethod) },
    },
    color: seriesColor(series),
  });
  return frame(d.title, [
    ...levelLayers(d.levels),
    // Means as rings under the copies, so that no copy hides behind its mean.
    { data: { values: withSeries(d.means, means) }, mark: { type: 'point', filled: false, size: 130, strokeWidth: 1.8 }, encoding: enc() },
    { data: { values: withSeries(d.line, fit) }, mark: { type: 'line', strokeWidth: 2 }, encoding: enc() },
    { data: { values: withSeries(fittedCopies, used) }, mark: { type: 'point', filled: true, size: 28, opacity: 0.8 }, encoding: enc() },
    {
      data: { values: withSeries(plateauCopies, excluded) },
      mark: { type: 'point', shape: 'cross', filled: true, size: 50 },
      encoding: enc(),
    },
  ]);
}

export function checkpointSpec(d: CheckpointFigure): VegaLiteSpec {
  const x = logAxis(...extent(d.points.map((p) => p.parameters)), PARAMETERS_TITLE);
  return frame(d.title, [
    {
      data: { values: d.points },
      mark: { type: 'line', point: { filled: true, size: 30 }, strokeWidth: 1.6 },
      encoding: {
        x: { field: 'parameters', type: 'quantitative', scale: x.scale, axis: x.axis },
        y: {
          field: 'elo',
          type: 'quantitative',
          scale: { domain: eloDomain(d.points.map((p) => p.elo)), nice: false },
          axis: { title: ELO_TITLE(d.eloMethod) },
        },
        color: {
          field: 'step',
          type: 'ordinal',
          scale: { scheme: 'viridis', reverse: true },
          legend: { title: 'checkpoint (training step)', orient: 'right' },
        },
        detail: { field: 'step', type: 'ordinal' },
      },
    },
  ]);
}

export function computeSpec(d: ComputeFigure): VegaLiteSpec {
  // No fit (a front too short to fit: the caption says why): no fit line and no legend entry for it.
  const fit: Series | null = d.fit ? { name: `fit: ${d.fit.slope.toFixed(0)} Elo/decade (α_C = ${d.fit.exponent.toFixed(2)})`, color: FIT } : null;
  const front: Series = { name: 'Pareto front', color: INK };
  const excluded: Series = { name: 'front point on the plateau (left out)', color: MUTED };
  const series = fit ? [front, excluded, fit] : [front, excluded];
  const x = logAxis(...extent(d.points.map((p) => p.compute)), COMPUTE_TITLE);
  const y = {
    field: 'elo',
    type: 'quantitative',
    scale: {
      domain: eloDomain(
        d.points.map((p) => p.elo),
        d.levels,
      ),
      nice: false,
    },
    axis: { title: ELO_TITLE(d.eloMethod) },
  };
  const xEnc = { field: 'compute', type: 'quantitative', scale: x.scale, axis: x.axis };
  return frame(
    d.title,
    [
      ...levelLayers(d.levels),
      {
        data: { values: d.points },
        mark: { type: 'point', filled: true, size: 22, opacity: 0.7 },
        encoding: {
          x: xEnc,
          y,
          color: { field: 'parameters', type: 'ordinal', scale: { scheme: 'viridis' }, legend: SIZE_LEGEND },
        },
      },
      // Nested, so the three series share one colour scale and one legend beside the sizes' one.
      {
        layer: [
          {
            data: { values: withSeries(d.front, front) },
            mark: { type: 'line', strokeWidth: 1.5, point: { filled: true, size: 36 } },
            encoding: { x: xEnc, y, color: seriesColor(series), order: { field: 'compute', type: 'quantitative' } },
          },
          {
            data: {
              values: withSeries(
                d.front.filter((p) => !p.used),
                excluded,
              ),
            },
            mark: { type: 'point', filled: true, size: 60, shape: 'circle' },
            encoding: { x: xEnc, y, color: seriesColor(series) },
          },
          ...(fit && d.line
            ? [
                {
                  data: { values: withSeries(d.line, fit) },
                  mark: { type: 'line', strokeWidth: 2, strokeDash: [8, 3] },
                  encoding: { x: xEnc, y, color: seriesColor(series) },
                },
              ]
            : []),
        ],
      },
    ],
    { resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } } },
  );
}

export function sampleEfficiencySpec(d: SampleEfficiencyFigure): VegaLiteSpec {
  const curves = d.curves.filter((c) => c.step > 0); // a log axis has no step 0
  const x = logAxis(...extent(curves.map((c) => c.step)), 'training steps');
  const xEnc = { field: 'step', type: 'quantitative', scale: x.scale, axis: x.axis };
  const color = { field: 'parameters', type: 'ordinal', scale: { scheme: 'viridis' }, legend: SIZE_LEGEND };
  const domain = eloDomain(curves.flatMap((c) => [c.lower, c.upper]));
  return frame(
    d.title,
    [
      {
        data: { values: curves },
        mark: { type: 'area', opacity: 0.15 },
        encoding: {
          x: xEnc,
          y: { field: 'lower', type: 'quantitative', scale: { domain, nice: false }, axis: { title: ELO_TITLE(d.eloMethod) } },
          y2: { field: 'upper' },
          color: { ...color, legend: null },
          detail: { field: 'parameters', type: 'ordinal' },
        },
      },
      {
        data: { values: curves },
        mark: { type: 'line', point: { filled: true, size: 25 }, strokeWidth: 1.8 },
        encoding: {
          x: xEnc,
          y: { field: 'elo', type: 'quantitative', scale: { domain, nice: false } },
          color,
        },
      },
    ],
    // The band's colour legend is switched off; the lines' one stands alone rather than merging with it.
    { resolve: { legend: { color: 'independent' } } },
  );
}

export function figureSpec(d: ReportFigureData): VegaLiteSpec {
  switch (d.figure) {
    case 1:
      return optimalSizeSpec(d);
    case 2:
      return sizeScalingSpec(d);
    case 3:
      return checkpointSpec(d);
    case 4:
      return computeSpec(d);
    case 5:
      return sampleEfficiencySpec(d);
  }
}
