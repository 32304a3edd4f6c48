// The study's report as one self-contained HTML file: it opens from disk with no network,
// figures inlined as SVG data URIs (an <img> keeps each figure's ids to itself), CSS inline.
// Nothing in it depends on the time it was written, so the same inputs give the same bytes.
import type { ScalingLawFits } from '../../schemas/types/fit-scaling-laws.ts';
import type { OptimalSizeFigure, ReportFigureData } from '../../schemas/types/report-figure-data.ts';
import { isFittedFrontier } from '../rating/pareto-front.ts';
import { gameName } from './figure-data.ts';
import { PAPER_BUDGETS, PAPER_CITATION, PAPER_EXPONENTS } from './paper-values.ts';

export interface ReportFigure {
  name: string;
  data: ReportFigureData;
  svg: string;
}

export interface ReportProvenance {
  /** e.g. "wasm (cpu)" for every agent, or a list when agents differ. */
  backend: string;
  gitCommit: string | null;
  gitDirty?: boolean;
  /** SHA-256 of the parameters the report was made from. */
  paramsHash: string;
  /** Which parameters the hash covers (e.g. "the report stage's declared keys"). */
  paramsHashCovers?: string;
}

export interface ReportInput {
  title?: string;
  /** Fits per game, in the order the games are shown. */
  fits: ScalingLawFits[];
  figures: ReportFigure[];
  /** This run's budgets as dotted key → value (params.json values). */
  budgets: Record<string, unknown>;
  provenance: ReportProvenance;
  /** Sentences on who the reference players of this run were (e.g. which agent the Pentago benchmark is). */
  referencePlayers?: string[];
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function fixed(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

function sci(x: number): string {
  const [mantissa, exponent] = x.toExponential(1).split('e');
  return `${mantissa}×10<sup>${Number(exponent)}</sup>`;
}

function formatValue(value: unknown): string {
  if (value === undefined) return '<span class="none">—</span>';
  if (Array.isArray(value))
    return escapeHtml(value.map((v) => (typeof v === 'number' ? v.toLocaleString('en-US') : JSON.stringify(v))).join(', '));
  if (typeof value === 'number') return escapeHtml(value.toLocaleString('en-US', { maximumSignificantDigits: 6 }));
  if (typeof value === 'string') return escapeHtml(value);
  return escapeHtml(JSON.stringify(value));
}

function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

const ALPHA_C = 'α<sub>C</sub> (Elo vs compute, Pareto front)';

interface ExponentRow {
  name: string;
  /** null: not fitted (`extra` says why). */
  value: number | null;
  interval?: { lower: number; upper: number };
  level?: number;
  rSquared?: number;
  points?: number;
  extra?: string;
  paper: number;
}

function exponentRows(fits: ScalingLawFits): ExponentRow[] {
  const { sizeScaling: n, computeFrontier: c, optimalSize: o } = fits;
  const rows: ExponentRow[] = [
    {
      name: 'α<sub>N</sub> (Elo vs parameters, fully trained)',
      value: n.alpha,
      interval: n.alphaInterval,
      level: n.line.level,
      rSquared: n.line.rSquared,
      points: n.line.pointCount,
      extra: `${fixed(n.eloPerDecade, 0)} Elo per decade; ${n.pointsExcluded.length} plateau points left out`,
      paper: PAPER_EXPONENTS.alphaN,
    },
    isFittedFrontier(c)
      ? {
          name: ALPHA_C,
          value: c.alpha,
          interval: c.alphaInterval,
          level: c.line.level,
          rSquared: c.line.rSquared,
          points: c.line.pointCount,
          extra: `${fixed(c.eloPerDecade, 0)} Elo per decade; ${c.front.length} front points, ${c.pointsExcluded.length} on the plateau`,
          paper: PAPER_EXPONENTS.alphaC,
        }
      : { name: ALPHA_C, value: null, extra: `not fitted: ${c.unfitted}`, paper: PAPER_EXPONENTS.alphaC },
    {
      name: 'N<sub>opt</sub> ∝ C<sup>b</sup>: b fitted',
      value: o.exponent,
      interval: o.exponentInterval,
      level: o.line.level,
      rSquared: o.line.rSquared,
      points: o.line.pointCount,
      extra: `${o.pointsUsed.length} budgets fitted, ${o.pointsExcluded.length} left out`,
      paper: PAPER_EXPONENTS.optimalSize,
    },
  ];
  if (o.predicted) {
    rows.push({
      name: 'b predicted = α<sub>C</sub> / α<sub>N</sub>',
      value: o.predicted.exponent,
      interval: o.predicted.interval,
      extra: 'interval: extreme ratios of the two intervals',
      paper: PAPER_EXPONENTS.optimalSize,
    });
  }
  return rows;
}

function exponentTable(allFits: readonly ScalingLawFits[]): string {
  const body = allFits
    .flatMap((fits) =>
      exponentRows(fits).map(
        (
          r,
          i,
        ) => `<tr>${i === 0 ? `<th rowspan="${exponentRows(fits).length}" scope="rowgroup">${escapeHtml(gameName(fits.game))}</th>` : ''}
<td>${r.name}</td><td class="num">${r.value === null ? '—' : fixed(r.value, 3)}</td>
<td class="num">${r.interval ? `[${fixed(r.interval.lower, 3)}, ${fixed(r.interval.upper, 3)}]${r.level ? ` <span class="note">(${Math.round(r.level * 100)}%)</span>` : ''}` : '—'}</td>
<td class="num">${r.rSquared === undefined ? '—' : fixed(r.rSquared, 3)}</td><td class="num">${r.points ?? '—'}</td>
<td class="num">${r.paper}</td><td class="note">${escapeHtml(r.extra ?? '')}</td></tr>`,
      ),
    )
    .join('\n');
  return `<table class="exponents">
<thead><tr><th>game</th><th>exponent</th><th>this run</th><th>interval</th><th>R²</th><th>points</th><th>paper</th><th>notes</th></tr></thead>
<tbody>
${body}
</tbody></table>`;
}

function referenceModelTable(figures: readonly ReportFigure[]): string {
  const fig1 = figures.map((f) => f.data).filter((d): d is OptimalSizeFigure => d.figure === 1);
  if (fig1.length === 0) return '';
  const rows = fig1.flatMap((d) =>
    d.references.map(
      (
        r,
      ) => `<tr><td>${escapeHtml(gameName(d.game))}</td><td>${escapeHtml(r.name)}</td><td class="num">${sci(r.parameters)}</td><td class="num">${sci(r.compute)}</td>
<td class="num">${sci(r.lawParameters)}</td><td class="num">${fixed(Math.log10(r.lawParameters / r.parameters), 1)}</td></tr>`,
    ),
  );
  const sources = fig1[0]!.references.map((r) => `<li><b>${escapeHtml(r.name)}</b>: ${escapeHtml(r.source)}.</li>`).join('\n');
  return `<h2>AlphaGo Zero and AlphaZero against the fitted law</h2>
<p>Neither paper states its parameter count or training FLOPs; both are estimated from what the papers state, with this study's definitions
(parameters of the described network; C = S·T·F·D, i.e. self-play positions × simulations per move × forward-pass FLOPs, training left out).
The paper finds both models below the optimal-size curve by up to two orders of magnitude. The law here is extrapolated far beyond the data, so read the gap as an order of magnitude.</p>
<table><thead><tr><th>fit of</th><th>model</th><th>parameters</th><th>compute C (FLOPs)</th><th>law's N<sub>opt</sub> at C</th><th>decades below the law</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
<ul class="sources">
${sources}
</ul>`;
}

function budgetTable(budgets: Record<string, unknown>): string {
  const paperByKey = new Map(PAPER_BUDGETS.map((b) => [b.key, b]));
  const keys = [...new Set([...PAPER_BUDGETS.map((b) => b.key), ...Object.keys(budgets).sort()])];
  const rows = keys.map((key) => {
    const paper = paperByKey.get(key);
    const here = budgets[key];
    const differs = paper !== undefined && here !== undefined && JSON.stringify(paper.paper) !== JSON.stringify(here);
    // Lists (widths, checkpoints) wrap; single numbers stay right-aligned on one line.
    const cell = (v: unknown) => `<td class="${Array.isArray(v) ? 'list' : 'num'}">${formatValue(v)}</td>`;
    return `<tr${differs ? ' class="differs"' : ''}><td><code>${escapeHtml(key)}</code></td>${cell(here)}
${cell(paper?.paper)}<td class="note">${escapeHtml(paper?.note ?? '')}</td></tr>`;
  });
  return `<table class="budgets"><thead><tr><th>parameter</th><th>this run</th><th>paper</th><th>notes</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
<p class="note">Highlighted rows differ from the paper. “—” in this run: the report stage was not given that key (or the pipeline has none).</p>`;
}

function figureSection(game: string, figures: readonly ReportFigure[]): string {
  const items = figures
    .filter((f) => f.data.game === game)
    .sort((a, b) => a.data.figure - b.data.figure)
    .map(
      (f) => `<figure id="${escapeHtml(f.name)}">
<img class="figure" src="${svgDataUri(f.svg)}" alt="${escapeHtml(f.data.title)}">
<figcaption><b>Figure ${f.data.figure}.</b> ${escapeHtml(f.data.caption)}</figcaption>
</figure>`,
    );
  return `<section class="game"><h2>${escapeHtml(gameName(game))}</h2>
${items.join('\n')}
</section>`;
}

const CSS = `
body { font-family: 'DejaVu Sans', Verdana, sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
thead th { background: #f4f4f4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.list { font-variant-numeric: tabular-nums; max-width: 22rem; }
.note { color: #666; font-size: 0.85em; }
tr.differs td { background: #fff6e0; }
.none { color: #aaa; }
figure { margin: 1.2rem 0 2rem; }
img.figure { display: block; width: 100%; max-width: 880px; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.9rem; color: #444; margin-top: 0.4rem; max-width: 900px; }
dl.provenance { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; font-size: 0.9rem; }
dl.provenance dt { color: #666; }
dl.provenance dd { margin: 0; font-family: 'DejaVu Sans Mono', monospace; word-break: break-all; }
ul.sources { font-size: 0.85rem; color: #444; }
`;

export function reportHtml(input: ReportInput): string {
  const title = input.title ?? 'Scaling laws for AlphaZero on Connect Four and Pentago: reproduction report';
  const p = input.provenance;
  const games = input.fits.map((f) => f.game);
  const commit = p.gitCommit ? `${p.gitCommit}${p.gitDirty ? ' (with uncommitted changes)' : ''}` : 'unknown (not a git checkout)';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>A reproduction of ${escapeHtml(PAPER_CITATION)}. Budgets are scaled down by profile (table below); every definition is the paper's unless noted.</p>
<dl class="provenance">
<dt>backend</dt><dd>${escapeHtml(p.backend)}</dd>
<dt>git commit</dt><dd>${escapeHtml(commit)}</dd>
<dt>params hash</dt><dd>${escapeHtml(p.paramsHash)}${p.paramsHashCovers ? ` <span class="note">(${escapeHtml(p.paramsHashCovers)})</span>` : ''}</dd>
</dl>
<h2>Fitted exponents beside the paper's</h2>
${exponentTable(input.fits)}
<p class="note">Elo = 400·α·log<sub>10</sub>(x) + c, so α is the fitted slope in Elo per decade divided by 400. Intervals are Student-t intervals of the least-squares slope.</p>
${games.map((g) => figureSection(g, input.figures)).join('\n')}
${input.referencePlayers?.length ? `<h2>Reference players</h2>\n${input.referencePlayers.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}` : ''}
${referenceModelTable(input.figures)}
<h2>Budgets: this run against the paper</h2>
${budgetTable(input.budgets)}
</body>
</html>
`;
}
