// Content hashes, the stat cache, directory manifests and the seeded generator.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, utimesSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { hashFile } from '../../src/engine/hash.ts';
import { StatCache } from '../../src/engine/statcache.ts';
import { ImportGraph } from '../../src/engine/imports.ts';
import { Rng } from '../../src/engine/rng.ts';
import { canonicalJson } from '../../src/engine/json.ts';
import { generatedTypes } from '../../scripts/gen-types.ts';
import { generatedValidators } from '../../scripts/gen-validators.ts';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'repro-hash-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('hashing', () => {
  it('matches sha256sum, across block boundaries', () => {
    const d = tmp();
    const file = join(d, 'big.bin');
    const buf = Buffer.alloc(9 * 1024 * 1024 + 7);
    for (let i = 0; i < buf.length; i++) buf[i] = (i * 31) & 255;
    writeFileSync(file, buf);
    const expected = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];
    expect(hashFile(file)).toEqual({ hash: expected, size: buf.length });
  });

  it('serves unchanged files from the stat cache, and rehashes changed or racy ones', () => {
    const d = tmp();
    const f = join(d, 'x.txt');
    writeFileSync(f, 'one');
    const old = new Date(Date.now() - 60_000);
    utimesSync(f, old, old);
    const cacheFile = join(d, '.repro', 'stat.json');
    const c1 = new StatCache(d, cacheFile);
    const h1 = c1.hashPath('x.txt')!;
    c1.save();
    const c2 = new StatCache(d, cacheFile);
    expect(c2.hashPath('x.txt')).toEqual(h1);
    expect(c2.filesHashed).toBe(0);
    // Same size, same (old) mtime, but the ctime moved: must be re-read.
    writeFileSync(f, 'two');
    utimesSync(f, old, old);
    const h3 = c2.hashPath('x.txt')!;
    expect(h3.hash).not.toBe(h1.hash);
    expect(c2.filesHashed).toBe(1);
    // A file modified just now could change again within the timestamp granularity: never trusted yet.
    writeFileSync(join(d, 'new.txt'), 'fresh');
    c2.hashPath('new.txt');
    c2.hashPath('new.txt');
    expect(c2.filesHashed).toBe(3);
  });

  it('hashes directories by manifest: names and contents, not order or times', () => {
    const d = tmp();
    mkdirSync(join(d, 'a/sub'), { recursive: true });
    writeFileSync(join(d, 'a/1.txt'), 'x');
    writeFileSync(join(d, 'a/sub/2.txt'), 'y');
    const c = new StatCache(d, join(d, 'none.json'));
    const h = c.hashPath('a')!;
    expect(h.kind).toBe('dir');
    expect(Object.keys(h.files!)).toEqual(['1.txt', 'sub/2.txt']);
    writeFileSync(join(d, 'a/sub/2.txt'), 'z');
    expect(c.hashPath('a')!.hash).not.toBe(h.hash);
    writeFileSync(join(d, 'a/sub/2.txt'), 'y');
    expect(c.hashPath('a')!.hash).toBe(h.hash);
  });

  it('survives a damaged stat cache file by rehashing', () => {
    const d = tmp();
    writeFileSync(join(d, 'x.txt'), 'one');
    writeFileSync(join(d, 'stat.json'), '{ broken');
    const c = new StatCache(d, join(d, 'stat.json'));
    expect(c.hashPath('x.txt')!.size).toBe(3);
  });

  it('canonical JSON ignores key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
      }),
    );
  });
});

describe('package versions in keys', () => {
  const install = (dir: string, name: string, manifest: object = {}) => {
    mkdirSync(join(dir, 'node_modules', name), { recursive: true });
    writeFileSync(join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, ...manifest }));
    writeFileSync(join(dir, 'node_modules', name, 'index.js'), 'export {};\n');
  };

  it('follow dependencies and peers where Node finds them, nested installs first, and name a broken install', () => {
    const d = tmp();
    writeFileSync(join(d, 'stage.ts'), "import 'top';\nimport '@scope/lib/sub.js';\n");
    install(d, 'top', { version: '1.0.0', dependencies: { shared: '^2', missing: '1' }, peerDependencies: { peer: '*', absentpeer: '*' }, peerDependenciesMeta: { absentpeer: { optional: true } } });
    install(join(d, 'node_modules', 'top'), 'shared', { version: '2.0.0', dependencies: { leaf: '*' } });
    install(d, '@scope/lib', { version: '0.3.0', dependencies: { shared: '^1' } });
    install(d, 'shared', { version: '1.4.0', dependencies: { leaf: '*' } });
    install(d, 'leaf', { version: '5.0.0', dependencies: { top: '*' } }); // a cycle
    install(d, 'peer', { version: '3.0.0' });
    const graph = new ImportGraph(d, new StatCache(d, join(d, 'stat.json')));
    expect(graph.packageVersions('stage.ts')).toEqual({
      '@scope/lib': '0.3.0',
      leaf: '5.0.0',
      missing: null,
      peer: '3.0.0',
      shared: '1.4.0, 2.0.0',
      top: '1.0.0',
    });
  });

  it('name the manifest of a damaged install and the fix', () => {
    const d = tmp();
    writeFileSync(join(d, 'stage.ts'), "import 'top';\n");
    install(d, 'top', { version: '1.0.0', dependencies: { broken: '*' } });
    mkdirSync(join(d, 'node_modules', 'broken'));
    writeFileSync(join(d, 'node_modules', 'broken', 'package.json'), '{ "name": "bro');
    const graph = new ImportGraph(d, new StatCache(d, join(d, 'stat.json')));
    expect(() => graph.packageVersions('stage.ts')).toThrow(expect.objectContaining({ message: `${join(d, 'node_modules', 'broken', 'package.json')}: not valid JSON`, fix: 'reinstall the package (npm ci)' }));
  });
});

describe('Rng', () => {
  it('gives the same stream for the same seed and label, different ones otherwise', () => {
    const a = new Rng(7, 'x');
    const b = new Rng(7, 'x');
    const xs = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(xs);
    expect(new Rng(8, 'x').nextU32()).not.toBe(xs[0]);
    expect(new Rng(7, 'y').nextU32()).not.toBe(xs[0]);
    // Pinned: a change to the generator changes every seeded artifact, so it must be deliberate.
    expect(new Rng(42).nextU32()).toBe(2333038237);
  });

  it('keeps the stream of every sampler pinned', () => {
    // Uniforms, normals (their spare included) and Gamma draws of the two shape regimes,
    // interleaved: the digest of their bytes fixes every value and the order they consume.
    const r = new Rng(42, 'pinned');
    const draws = new Float64Array(4000);
    for (let i = 0; i < 1000; i++) {
      draws[4 * i] = r.next();
      draws[4 * i + 1] = r.normal();
      draws[4 * i + 2] = r.gamma(1);
      draws[4 * i + 3] = r.gamma(0.3);
    }
    expect(createHash('sha256').update(Buffer.from(draws.buffer)).digest('hex').slice(0, 16)).toBe('83875e98b0a7d1e7');
  });

  it('samples in range with plausible moments', () => {
    const r = new Rng(1);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const u = r.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += u;
    }
    expect(sum / 20000).toBeCloseTo(0.5, 1);
    // Gamma(k, 1) has mean k and variance k, whichever way a shape is drawn.
    for (const shape of [0.3, 1, 2.5]) {
      const xs = Array.from({ length: 40000 }, () => r.gamma(shape));
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
      expect(Math.abs(mean - shape), `mean of Gamma(${shape})`).toBeLessThan(0.03 * Math.max(1, shape));
      expect(Math.abs(variance - shape), `variance of Gamma(${shape})`).toBeLessThan(0.08 * Math.max(1, shape));
    }
    const d = r.dirichlet(1, 7);
    expect(d.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    expect(r.int(3)).toBeLessThan(3);
  });

  it('draws Gamma(k, 1) with mean and variance k, for shapes below, at and above 1 (each its own sampler)', () => {
    const r = new Rng(2);
    const n = 40000;
    for (const shape of [0.3, 1, 2.5]) {
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < n; i++) {
        const x = r.gamma(shape);
        expect(x).toBeGreaterThanOrEqual(0);
        sum += x;
        squares += x * x;
      }
      const mean = sum / n;
      // Five standard errors: the variance of the mean is k/n, that of the sample variance ~(2k² + 6k)/n.
      expect(Math.abs(mean - shape)).toBeLessThan(5 * Math.sqrt(shape / n));
      expect(Math.abs(squares / n - mean * mean - shape)).toBeLessThan(5 * Math.sqrt((2 * shape * shape + 6 * shape) / n));
    }
  });
});

describe('generated types and validators', () => {
  it('are up to date with the schemas (npm run gen:types)', async () => {
    const generated = [...(await generatedTypes()), ...generatedValidators()];
    expect(generated.filter(([file]) => file.endsWith('.cjs'))).toHaveLength(generated.length / 2);
    for (const [file, text] of generated) {
      expect(readFileSync(file, 'utf8'), `${file} is stale: run npm run gen:types`).toBe(text);
    }
  });
});
