import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertValid } from '../../src/engine/json.ts';
import { gameFigureData } from '../../src/report/figure-data.ts';
import { parseCheckpointPlayer } from '../../src/rating/pairings.ts';
import { joinRatedCheckpoints, trainingPoints } from '../../src/rating/tournament-fits.ts';
import { buildFigures } from '../../src/report/figures.ts';
import { assembleInputs, type LoadedDeps } from '../../src/report/load-inputs.ts';
import { decadeTicks, logAxis, oneTwoFiveTicks } from '../../src/report/log-axis.ts';
import { REFERENCE_MODELS, goResNetCost } from '../../src/report/reference-models.ts';
import { deterministicIds, figureFonts, renderFigure, renderSvg, svgToPng } from '../../src/report/render.ts';
import { PLATEAU_ELO, TRUE_ALPHA_N, syntheticStudy, withoutComputeFit } from './synthetic-study.ts';

const schemas = join(import.meta.dirname, '..', '..', 'schemas');
const connect4 = syntheticStudy({ game: 'connect4' });
const pentago = syntheticStudy({ game: 'pentago', seed: 11 });

function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

describe('figure data from fits of a synthetic study', () => {
  it('the fits recover the known exponent and leave the plateau out', () => {
    expect(connect4.fits.sizeScaling.alpha).toBeGreaterThan(TRUE_ALPHA_N - 0.06);
    expect(connect4.fits.sizeScaling.alpha).toBeLessThan(TRUE_ALPHA_N + 0.06);
    expect(connect4.fits.sizeScaling.pointsExcluded.length).toBeGreaterThan(0);
  });

  it('gives five figures per game, each valid against report-figure-data.schema.json', () => {
    for (const study of [connect4, pentago]) {
      const data = gameFigureData(study.input);
      expect(data.map((d) => d.figure)).toEqual([1, 2, 3, 4, 5]);
      for (const d of JSON.parse(JSON.stringify(data))) {
        expect(() => assertValid(join(schemas, 'report-figure-data.schema.json'), d, `${d.game}-fig${d.figure}`)).not.toThrow();
      }
    }
  });

  it('figure 2 marks plateau copies as left out and means one point per size', () => {
    const [, fig2] = gameFigureData(connect4.input);
    if (fig2?.figure !== 2) throw new Error('figure 2 missing');
    const left = fig2.copies.filter((c) => !c.used);
    expect(left.length).toBe(connect4.fits.sizeScaling.pointsExcluded.length);
    expect(left.every((c) => c.elo > PLATEAU_ELO - 100 && c.reason)).toBe(true);
    expect(fig2.means.map((m) => m.copies)).toEqual([3, 3, 3, 3, 3, 3, 3]);
    expect(fig2.levels[0]).toEqual({ name: 'perfect play', elo: PLATEAU_ELO });
    expect(fig2.fit.exponent).toBe(connect4.fits.sizeScaling.alpha);
    // The drawn line is the fitted one.
    const [a, b] = fig2.line;
    expect((b!.elo - a!.elo) / Math.log10(b!.parameters / a!.parameters)).toBeCloseTo(connect4.fits.sizeScaling.eloPerDecade, 9);
  });

  it('figure 1 extends the law to AlphaGo Zero and AlphaZero, which lie below it', () => {
    const [fig1] = gameFigureData(connect4.input);
    if (fig1?.figure !== 1) throw new Error('figure 1 missing');
    expect(fig1.references.map((r) => r.name)).toEqual(['AlphaGo Zero', 'AlphaZero']);
    expect(fig1.extrapolation[1]!.compute).toBe(Math.max(...REFERENCE_MODELS.map((r) => r.compute)));
    for (const r of fig1.references) expect(r.lawParameters).toBeGreaterThan(r.parameters);
  });

  it('figures 4 and 5 hold every agent at every checkpoint', () => {
    const data = gameFigureData(connect4.input);
    const fig4 = data[3]!;
    const fig5 = data[4]!;
    if (fig4.figure !== 4 || fig5.figure !== 5) throw new Error('figures 4/5 missing');
    expect(fig4.points.length).toBe(connect4.points.length);
    expect(fig4.front.length).toBe(connect4.fits.computeFrontier.front.length);
    expect(fig5.curves.length).toBe(7 * 9);
    expect(fig5.curves.every((c) => c.lower <= c.elo && c.elo <= c.upper && c.copies === 3)).toBe(true);
  });
});

describe('inputs joined from rating tables and compute accounting', () => {
  it('parses agent players and rebuilds the training points', () => {
    expect(parseCheckpointPlayer('connect4-w16-c0@10000')).toEqual({
      agent: 'connect4-w16-c0',
      game: 'connect4',
      width: 16,
      copy: 0,
      step: 10000,
    });
    expect(parseCheckpointPlayer('solver')).toBeUndefined();
    const { points, references } = joinRatedCheckpoints('connect4', connect4.ratingTable, connect4.computeByAgent, 'figures');
    expect(points).toEqual(connect4.points);
    expect(references.map((r) => r.name)).toEqual(['solver', 'random']);
  });

  it('gives the fits every rated checkpoint but the untrained ones, which it names', () => {
    const agent = 'connect4-w8-c1';
    const compute = connect4.computeByAgent.get(agent)!;
    const untrained = { ...compute.checkpoints[0]!, step: 0, paperCompute: 0 };
    const computes = new Map(connect4.computeByAgent).set(agent, { ...compute, checkpoints: [untrained, ...compute.checkpoints] });
    const table = { ...connect4.ratingTable, players: [...connect4.ratingTable.players, { ...connect4.ratingTable.players[0]!, name: `${agent}@0` }] };
    expect(trainingPoints('connect4', table, computes)).toEqual({ points: connect4.points, leftOut: [`${agent}@0`] });
    expect(() => trainingPoints('connect4', connect4.ratingTable, new Map())).toThrow(/fits@connect4: .*declare artifacts\/train\/connect4-w\d+-c\d as a dep of fits@connect4/);
  });

  it('names the missing train output when a rated agent has no compute.json', () => {
    const computes = new Map(connect4.computeByAgent);
    computes.delete('connect4-w8-c1');
    expect(() => joinRatedCheckpoints('connect4', connect4.ratingTable, computes, 'figures')).toThrow(
      /connect4-w8-c1.*artifacts\/train\/connect4-w8-c1/,
    );
  });

  it('takes the rating table whose Elo the fits used when a game has two', () => {
    const shifted = {
      ...connect4.ratingTable,
      method: 'bayeselo' as const,
      players: connect4.ratingTable.players.map((p) => ({ ...p, elo: p.elo * 1.1 })),
    };
    const loaded: LoadedDeps = {
      fits: [connect4.fits],
      tables: [
        { file: 'bayeselo.json', table: shifted },
        { file: 'bt.json', table: connect4.ratingTable },
      ],
      computeByAgent: connect4.computeByAgent,
    };
    const lines: string[] = [];
    const [input] = assembleInputs(loaded, (l) => lines.push(l));
    expect(input!.eloMethod).toBe('bradley-terry');
    expect(lines.join('\n')).toMatch(/bt\.json/);
    // Plateau from the fits, then the other references (the solver sits on the plateau).
    expect(input!.levels).toEqual([
      { name: 'perfect play', elo: PLATEAU_ELO },
      { name: 'random', elo: -150 },
    ]);
  });
});

describe('reference models', () => {
  it('counts AlphaGo Zero 40-block parameters near the published order (≈46 million)', () => {
    expect(goResNetCost({ residualBlocks: 39 }).parameters).toBeGreaterThan(46.0e6);
    expect(goResNetCost({ residualBlocks: 39 }).parameters).toBeLessThan(46.6e6);
    const agz = REFERENCE_MODELS.find((r) => r.name === 'AlphaGo Zero')!;
    expect(Math.log10(agz.compute)).toBeGreaterThan(23);
    expect(Math.log10(agz.compute)).toBeLessThan(24);
    expect(agz.source).toMatch(/Nature 550/);
  });
});

describe('log axes', () => {
  it('labels decades across wide ranges and 1-2-5 ticks across narrow ones', () => {
    expect(decadeTicks(3e12, 2e15)).toEqual([1e12, 1e13, 1e14, 1e15, 1e16]);
    expect(oneTwoFiveTicks(600, 7000)).toEqual([1000, 2000, 5000]);
    expect(logAxis(3e12, 2e15, 'C').axis['values']).toEqual([1e13, 1e14, 1e15]);
    expect(logAxis(1e10, 1e24, 'C').axis['values']).toEqual([1e10, 1e12, 1e14, 1e16, 1e18, 1e20, 1e22, 1e24]);
    expect(logAxis(1941, 38241, 'N').axis['format']).toBe('~s');
    expect(() => logAxis(0, 10, 'bad')).toThrow(/0 < min/);
  });
});

describe('rendering', () => {
  const figures = buildFigures(connect4.input);

  it('draws the titles, axis titles, legends and marks of every figure', async () => {
    const expected: Record<number, string[]> = {
      1: ['compute-optimal parameters N_opt', 'training compute C (FLOPs)', 'AlphaGo Zero', 'AlphaZero', 'compute-optimal size (fitted)'],
      2: ['parameters N', 'Elo (Bradley–Terry)', 'perfect play', 'mean over copies', 'copy (on the plateau, left out)'],
      3: ['parameters N', 'checkpoint (training step)', '10000'],
      4: ['training compute C (FLOPs)', 'Pareto front', 'parameters', 'perfect play'],
      5: ['training steps', 'parameters', 'Elo (Bradley–Terry)'],
    };
    for (const f of figures) {
      const warnings: string[] = [];
      const svg = await renderSvg(f.spec, { idPrefix: f.name, onWarning: (m) => warnings.push(m) });
      expect(warnings, f.name).toEqual([]);
      expect(svg.startsWith('<svg')).toBe(true);
      const texts = svgTexts(svg);
      expect(texts, f.name).toContain(f.data.title);
      for (const t of expected[f.data.figure]!) expect(texts, `${f.name}: ${t}`).toContain(t);
      expect(
        texts.some((t) => /^10[⁰¹²³⁴⁵⁶⁷⁸⁹]+$/.test(t) || /^\d+k$/.test(t)),
        `${f.name}: log tick labels`,
      ).toBe(true);
      expect(svg).toMatch(/role-mark/);
    }
    const fig1 = await renderSvg(figures[0]!.spec);
    // Budgets, the law, its extrapolation and the two reference diamonds are drawn.
    expect((fig1.match(/class="mark-symbol role-mark/g) ?? []).length).toBeGreaterThanOrEqual(3);
    expect((fig1.match(/class="mark-line role-mark/g) ?? []).length).toBe(2);
  });

  it('draws figure 4 without a fit line when α_C could not be fitted, and says why', async () => {
    const fitted = figures[3]!;
    const unfitted = buildFigures(withoutComputeFit(connect4).input)[3]!;
    if (unfitted.data.figure !== 4 || fitted.data.figure !== 4) throw new Error('figure 4 missing');
    expect(unfitted.data.fit).toBeUndefined();
    expect(unfitted.data.line).toBeUndefined();
    // The same front; the two points below the plateau are the ones not drawn as left out.
    expect(unfitted.data.front).toEqual(fitted.data.front.map((p, i) => ({ ...p, used: i < 2 })));
    expect(unfitted.data.caption).toMatch(/no fit: the Pareto front has \d+ points, 2 below the plateau; α_C needs at least 3 below the plateau/);
    expect(() => assertValid(join(schemas, 'report-figure-data.schema.json'), JSON.parse(JSON.stringify(unfitted.data)), 'fig4')).not.toThrow();
    const warnings: string[] = [];
    const [withFit, withoutFit] = await Promise.all(
      [fitted, unfitted].map((f) => renderSvg(f.spec, { idPrefix: f.name, onWarning: (m) => warnings.push(m) })),
    );
    expect(warnings).toEqual([]);
    expect(svgTexts(withoutFit!)).toContain('Pareto front');
    expect(svgTexts(withFit!).some((t) => t.startsWith('fit: '))).toBe(true);
    expect(svgTexts(withoutFit!).some((t) => t.startsWith('fit: '))).toBe(false);
    // One line fewer: the front's line stays, the dashed fit goes.
    const lines = (svg: string) => (svg.match(/class="mark-line role-mark/g) ?? []).length;
    expect(lines(withoutFit!)).toBe(lines(withFit!) - 1);
  });

  it('makes a valid PNG at twice the SVG size', async () => {
    const { svg, png } = await renderFigure(figures[1]!.spec, { idPrefix: 'x' });
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.length).toBeGreaterThan(10_000);
    const width = Number(/width="(\d+)"/.exec(svg)![1]);
    const height = Number(/height="(\d+)"/.exec(svg)![1]);
    expect(pngSize(png)).toEqual({ width: 2 * width, height: 2 * height });
  });

  it('is byte-deterministic: the same spec renders to the same SVG and PNG', async () => {
    for (const f of [figures[0]!, figures[3]!]) {
      const a = await renderFigure(f.spec, { idPrefix: f.name });
      await renderSvg(buildFigures(pentago.input)[2]!.spec); // advance vega's global id counters
      const b = await renderFigure(f.spec, { idPrefix: f.name });
      expect(b.svg).toBe(a.svg);
      expect(Buffer.from(b.png).equals(Buffer.from(a.png))).toBe(true);
    }
  });

  it('renames ids and their references in order of appearance', () => {
    const svg =
      '<svg><clipPath id="clip7"><rect/></clipPath><g clip-path="url(#clip7)"/><linearGradient id="gradient3"/><rect fill="url(#gradient3)"/><use href="#clip7"/></svg>';
    expect(deterministicIds(svg, 'c4-fig1')).toBe(
      '<svg><clipPath id="c4-fig1-1"><rect/></clipPath><g clip-path="url(#c4-fig1-1)"/><linearGradient id="c4-fig1-2"/><rect fill="url(#c4-fig1-2)"/><use href="#c4-fig1-1"/></svg>',
    );
  });

  it('draws every text with the shipped DejaVu Sans, whatever family it names and whatever fonts the system has', () => {
    const text = (family: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30"><text x="4" y="20" font-family="${family}" font-size="14">Elo 1234</text></svg>`;
    const dejavu = Buffer.from(svgToPng(text('DejaVu Sans')));
    for (const family of ['Helvetica', 'Arial', 'sans-serif', 'Liberation Sans']) expect(Buffer.from(svgToPng(text(family))).equals(dejavu), family).toBe(true);
    const files = (figureFonts() as { fontFiles: string[] }).fontFiles;
    expect(files.map((f) => basename(f))).toEqual(['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf']);
    for (const f of files) expect(existsSync(f), f).toBe(true);
  });

  it('draws text into the PNG (a figure without text differs from one with it)', async () => {
    const svg = await renderSvg(figures[1]!.spec);
    const blank = svg.replace(/<text[^>]*>[^<]*<\/text>/g, '');
    expect(Buffer.from(svgToPng(svg)).equals(Buffer.from(svgToPng(blank)))).toBe(false);
  });
});

describe('schemas', () => {
  it('report-figures.schema.json carries the same definitions as report-figure-data.schema.json', () => {
    const one = JSON.parse(readFileSync(join(schemas, 'report-figure-data.schema.json'), 'utf8'));
    const all = JSON.parse(readFileSync(join(schemas, 'report-figures.schema.json'), 'utf8'));
    const { ReportFigureData, ...defs } = all.$defs;
    expect(defs).toEqual(one.$defs);
    expect(ReportFigureData.oneOf).toEqual(one.oneOf);
  });
});
