// The figures and report stages end to end on a synthetic study, and the report opened in
// headless Chromium: every figure must load and take up space on the page.
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StageContext } from '../../src/engine/context.ts';
import { readJsonValidated } from '../../src/engine/json.ts';
import { getKey } from '../../src/engine/params.ts';
import { flattenParams, trainBackends } from '../../src/report/provenance.ts';
import { run as runFigures } from '../../stages/figures.ts';
import { run as runReport } from '../../stages/report.ts';
import { syntheticStudy, withoutComputeFit } from './synthetic-study.ts';

const schemas = join(import.meta.dirname, '..', '..', 'schemas');
const root = mkdtempSync(join(tmpdir(), 'report-stage-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const params = {
  study: { widths: { connect4: [4, 8, 16, 32, 64, 128, 256], pentago: [4, 8, 16, 32, 64, 128, 256] }, copies: 3 },
  train: { steps: 10000, checkpoints: [20, 50, 100, 230, 510, 1150, 2590, 5820, 10000], bufferSize: 2048 },
  mcts: { simulations: 32 },
};

const REPORTED_COMMIT = '0123456789abcdef0123456789abcdef01234567';

function fakeContext(id: string, deps: string[], outs: string[], declared: Record<string, unknown> = {}): StageContext {
  return {
    id,
    root,
    params: declared,
    param: <T>(key: string) => getKey(declared, key) as T,
    deps,
    outs,
    out: () => outs[0]!,
    dep: () => deps[0]!,
    seed: 0,
    args: {},
    workDir: join(root, 'work', id),
    git: { commit: REPORTED_COMMIT, dirty: false },
    log: () => {},
    progress: () => {},
    record: () => {},
  };
}

const figuresDir = join(root, 'artifacts', 'figures');
const figuresData = join(root, 'artifacts', 'figures.data.json');
const reportFile = join(root, 'artifacts', 'report', 'index.html');
const fitFiles: string[] = [];

beforeAll(async () => {
  const deps: string[] = [];
  // Pentago's α_C is left unfitted, as a short front leaves it: the stages must still draw and report it.
  for (const study of [syntheticStudy({ game: 'connect4' }), withoutComputeFit(syntheticStudy({ game: 'pentago', seed: 11 }))]) {
    const fits = join(root, 'artifacts', 'fits', `${study.game}.json`);
    const elo = join(root, 'artifacts', 'elo', `${study.game}.json`);
    mkdirSync(join(root, 'artifacts', 'fits'), { recursive: true });
    mkdirSync(join(root, 'artifacts', 'elo'), { recursive: true });
    writeFileSync(fits, JSON.stringify(study.fits));
    writeFileSync(elo, JSON.stringify(study.ratingTable));
    fitFiles.push(fits);
    deps.push(fits, elo);
    for (const [agent, compute] of study.computeByAgent) {
      const dir = join(root, 'artifacts', 'train', agent);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'compute.json'), JSON.stringify(compute));
      deps.push(dir);
    }
  }
  // The backend the report names comes from the train stages' run records.
  const runs = join(root, '.repro', 'runs', 'train@connect4-w4-c0');
  mkdirSync(runs, { recursive: true });
  writeFileSync(join(runs, '2026-01-01T00-00-00-000Z.json'), JSON.stringify({ facts: { tfBackend: 'wasm', tfDevice: 'cpu' } }));

  await runFigures(fakeContext('figures', deps, [figuresDir, figuresData]));
  mkdirSync(join(root, 'artifacts', 'report'), { recursive: true });
  await runReport(fakeContext('report', [figuresDir, ...fitFiles], [reportFile], params));
}, 120_000);

describe('stage figures', () => {
  it('writes SVG, PNG and data JSON for five figures per game, and the combined data', () => {
    const files = readdirSync(figuresDir).sort();
    for (const game of ['connect4', 'pentago']) {
      for (let n = 1; n <= 5; n++) {
        for (const ext of ['svg', 'png', 'data.json']) expect(files).toContain(`${game}-fig${n}.${ext}`);
      }
    }
    expect(files.length).toBe(30);
    const all = readJsonValidated<{ figures: Record<string, unknown> }>(join(schemas, 'report-figures.schema.json'), figuresData);
    expect(Object.keys(all.figures).sort()).toEqual(files.filter((f) => f.endsWith('.data.json')).map((f) => f.replace('.data.json', '')));
  });

  it('writes the same bytes when run again', async () => {
    const before = readdirSync(figuresDir).map((f) => readFileSync(join(figuresDir, f)));
    const again = join(root, 'again');
    const deps = [...fitFiles, ...readdirSync(join(root, 'artifacts', 'elo')).map((f) => join(root, 'artifacts', 'elo', f))];
    deps.push(...readdirSync(join(root, 'artifacts', 'train')).map((a) => join(root, 'artifacts', 'train', a)));
    await runFigures(fakeContext('figures', deps.reverse(), [again]));
    const after = readdirSync(figuresDir).map((f) => readFileSync(join(again, f)));
    expect(after.every((bytes, i) => bytes.equals(before[i]!))).toBe(true);
  });

  it('says what is wrong with a dep it cannot use', async () => {
    const stray = join(root, 'stray.json');
    writeFileSync(stray, '{"hello": 1}');
    await expect(runFigures(fakeContext('figures', [stray], [join(root, 'x')]))).rejects.toThrow(/stray\.json is neither/);
  });
});

describe('stage report', () => {
  const html = () => readFileSync(reportFile, 'utf8');

  it('holds the exponents beside the paper, the budgets and the provenance', () => {
    const page = html();
    // Matched with test(), so that a failure does not print the whole page (figures included).
    expect(/α<sub>N<\/sub>[^\n]*<\/td><td class="num">0\.[89]\d\d<\/td>/.test(page)).toBe(true);
    for (const paper of ['0.88', '0.55', '0.63']) expect(page).toContain(`<td class="num">${paper}</td>`);
    expect(page).toContain('<code>train.steps</code>');
    expect(page).toContain('<code>mcts.simulations</code></td><td class="num">32</td>');
    expect(page).toContain('wasm (cpu), 1 agent');
    expect(page).toMatch(/params hash<\/dt><dd>[0-9a-f]{64}/);
    expect(page).toContain(`git commit</dt><dd>${REPORTED_COMMIT}</dd>`);
    expect(page).toContain('AlphaGo Zero');
    expect((page.match(/<img class="figure"/g) ?? []).length).toBe(10);
    // Connect Four's α_C is fitted; Pentago's is not, and the row says why instead of a number.
    const alphaC = (value: string) => new RegExp(`<td>α<sub>C</sub> \\(Elo vs compute, Pareto front\\)</td><td class="num">${value}</td>`, 'g');
    expect((page.match(alphaC('0\\.\\d{3}')) ?? []).length).toBe(1);
    expect((page.match(alphaC('—')) ?? []).length).toBe(1);
    expect((page.match(/b predicted/g) ?? []).length).toBe(1);
    expect(page).toMatch(/not fitted: the Pareto front has \d+ points, 2 below the plateau; α_C needs at least 3 below the plateau/);
  });

  it('needs no network: no external resources', () => {
    const page = html();
    expect(/(src|href)="(https?:)?\/\//.test(page)).toBe(false);
    expect(/url\((['"])?https?:/.test(page)).toBe(false);
    expect(page.includes('<script')).toBe(false);
  });

  it('flattens params to dotted keys and reads the backend from run records', () => {
    expect(flattenParams({ a: { b: 1, c: [2, 3] }, d: 'x' })).toEqual({ 'a.b': 1, 'a.c': [2, 3], d: 'x' });
    expect(trainBackends(join(root, 'nowhere'))).toMatch(/unknown/);
  });

  it('names the backend of the run that made each output, past later restores from the run cache', () => {
    const runs = join(root, 'runs-with-restores');
    const record = (stage: string, name: string, body: string) => {
      mkdirSync(join(runs, stage), { recursive: true });
      writeFileSync(join(runs, stage, `${name}.json`), body);
    };
    record('train@connect4-w4-c0', '2026-01-01T00-00-00-000Z', JSON.stringify({ outcome: 'ran', facts: { tfBackend: 'node-gpu', tfDevice: 'gpu' } }));
    record('train@connect4-w4-c0', '2026-01-02T00-00-00-000Z', JSON.stringify({ outcome: 'restored' }));
    record('train@connect4-w4-c0', '2026-01-03T00-00-00-000Z', '{"outcome": "ran", "fac'); // killed mid-write
    record('train@connect4-w8-c0', '2026-01-01T00-00-00-000Z', JSON.stringify({ outcome: 'ran', facts: { tfBackend: 'wasm', tfDevice: 'cpu' } }));
    record('train@connect4-w8-c0', '2026-01-02T00-00-00-000Z', JSON.stringify({ outcome: 'ran', facts: { tfBackend: 'node-gpu', tfDevice: 'gpu' } }));
    record('train@connect4-w16-c0', '2026-01-01T00-00-00-000Z', JSON.stringify({ outcome: 'restored' }));
    expect(trainBackends(runs)).toBe('node-gpu (gpu), all 2 agents');
    record('train@connect4-w16-c0', '2026-01-02T00-00-00-000Z', JSON.stringify({ outcome: 'ran', facts: { tfBackend: 'wasm', tfDevice: 'cpu' } }));
    expect(trainBackends(runs)).toBe('node-gpu (gpu): 2 agents; wasm (cpu): 1 agent');
  });
});

/** Debian's Chromium, installed here when missing and possible; otherwise why not. */
function findOrInstallChromium(): { path: string } | { reason: string } {
  const path = '/usr/bin/chromium';
  if (existsSync(path)) return { path };
  if (process.getuid?.() !== 0)
    return { reason: 'chromium is not installed at /usr/bin/chromium and the tests do not run as root to install it' };
  try {
    execSync('apt-get update -qq && apt-get install -y -qq chromium', { stdio: 'ignore', timeout: 900_000 });
  } catch (e) {
    return { reason: `chromium is not installed and apt-get could not install it (${(e as Error).message.split('\n')[0]})` };
  }
  return existsSync(path) ? { path } : { reason: 'apt-get ran but /usr/bin/chromium is still missing' };
}

describe('the report in headless Chromium', () => {
  it('shows every figure with a non-zero size, and saves a screenshot', async (ctx) => {
    const chromium = findOrInstallChromium();
    if ('reason' in chromium) {
      console.warn(`skipping the browser check: ${chromium.reason}`);
      ctx.skip();
      return;
    }
    const { chromium: launcher } = await import('playwright-core');
    const browser = await launcher.launch({
      executablePath: chromium.path,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url());
      });
      await page.goto(pathToFileURL(reportFile).href, { waitUntil: 'load' });
      const images = await page.$$eval('img.figure', (imgs) =>
        imgs.map((img) => {
          const el = img as unknown as { alt: string; complete: boolean; naturalWidth: number; naturalHeight: number };
          return { alt: el.alt, complete: el.complete, naturalWidth: el.naturalWidth, naturalHeight: el.naturalHeight };
        }),
      );
      expect(images.length).toBe(10);
      for (const img of images) {
        expect(img.complete, img.alt).toBe(true);
        expect(img.naturalWidth, img.alt).toBeGreaterThan(300);
        expect(img.naturalHeight, img.alt).toBeGreaterThan(200);
      }
      for (const handle of await page.$$('img.figure')) {
        const box = await handle.boundingBox();
        expect(box!.width).toBeGreaterThan(300);
        expect(box!.height).toBeGreaterThan(200);
      }
      const tables = await page.$$('table');
      expect(tables.length).toBeGreaterThanOrEqual(3);
      expect(requests).toEqual([]);
      const screenshot = join(tmpdir(), 'repro-report-screenshot.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      expect(readFileSync(screenshot).length).toBeGreaterThan(50_000);
      console.log(`report screenshot: ${screenshot}`);
    } finally {
      await browser.close();
    }
  }, 900_000);
});
