// The code a TypeScript stage runs: its module and the transitive closure of its local
// imports, found by esbuild's resolver (the same resolution tsx uses at run time), and the
// npm packages that code imports by name, with the packages those load in turn. Closures are
// remembered per entry module and recomputed only when a file in the closure changed, because
// only a changed file can change what is imported. Package versions are read again by every
// invocation: an npm install changes them without touching the pipeline's files.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from './errors.ts';
import type { StatCache } from './statcache.ts';

/** What is remembered of an entry module between invocations. */
interface Remembered {
  /** CLOSURE_FORMAT when it was found. */
  format: number;
  /** Root-relative paths of every local module the entry reaches, sorted. */
  files: string[];
  hashes: Record<string, string>;
  /** Package name → the root-relative directory of a module that imports it (where Node's lookup starts). */
  packages: Record<string, string>;
}

/**
 * How closures are found: bumped when it finds more, so that closures remembered before are
 * found again (1: packages named; 2: modules started as workers followed).
 */
const CLOSURE_FORMAT = 2;

/** An import specifier's package name: '@scope/name' or 'name', without a subpath. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** A package as Node's lookup found it: its version and the directory its own imports are looked up from. */
interface Installed {
  version: string | null;
  dir: string;
  /** What it loads by name: dependencies, optional ones and peers (optional: absence is no change). */
  requires: { name: string; optional: boolean }[];
}

export class ImportGraph {
  private readonly memo = new Map<string, Remembered>();
  private readonly installs = new Map<string, Installed | null>();

  constructor(
    private readonly root: string,
    private readonly stats: StatCache,
    private readonly remembered: Record<string, Remembered> = {},
  ) {}

  /** Root-relative path → SHA-256 for every file in the closure of `entry` (root-relative). */
  codeHashes(entry: string): Record<string, string> {
    return this.closureOf(entry).hashes;
  }

  /**
   * Package name → installed version of every package the closure of `entry` imports by
   * name, of `declared` ones it loads by a name the code does not spell out (looked up from
   * the entry's directory), and of every package those depend on, as Node's lookup finds
   * them: a dependency's update changes what runs as much as a direct one's. null: not
   * installed (a dependency an install left out). Optional dependencies and peers that are
   * not installed are left out, as are type-only @types packages. A name installed at
   * several versions in the closure maps to them all, sorted, joined by ', '.
   */
  packageVersions(entry: string, declared: readonly string[] = []): Record<string, string | null> {
    const from: Record<string, string> = { ...this.closureOf(entry).packages };
    for (const name of declared) from[name] ??= dirname(entry);
    const found = new Map<string, Set<string | null>>();
    const seen = new Set<string>();
    const visit = (name: string, dir: string, optional: boolean): void => {
      if (name.startsWith('@types/')) return;
      const pkg = this.installed(name, dir);
      if (!pkg && optional) return;
      const versions = found.get(name) ?? new Set();
      found.set(name, versions.add(pkg?.version ?? null));
      if (!pkg || seen.has(pkg.dir)) return;
      seen.add(pkg.dir);
      for (const r of pkg.requires) visit(r.name, pkg.dir, r.optional);
    };
    for (const name of Object.keys(from)) visit(name, resolve(this.root, from[name]!), false);
    const out: Record<string, string | null> = {};
    for (const name of [...found.keys()].sort()) {
      const versions = [...found.get(name)!];
      out[name] = versions.length === 1 ? versions[0]! : versions.map((v) => v ?? '(not installed)').sort().join(', ');
    }
    return out;
  }

  /** Drops what this run remembered of `entry`'s closure, so the next codeHashes() looks at the files again. */
  forget(entry: string): void {
    this.memo.delete(entry);
  }

  /** What to persist between invocations. */
  snapshot(): Record<string, Remembered> {
    return this.remembered;
  }

  private closureOf(entry: string): Remembered {
    const cached = this.memo.get(entry);
    if (cached) return cached;
    const prior = this.remembered[entry];
    if (prior?.format === CLOSURE_FORMAT) {
      const hashes = this.hashAll(prior.files);
      if (hashes && prior.files.every((f) => hashes[f] === prior.hashes[f])) {
        this.memo.set(entry, prior);
        return prior;
      }
    }
    const { files, packages } = this.closure(entry);
    const hashes = this.hashAll(files);
    if (!hashes) throw new InputError(`code of ${entry}: a module vanished while hashing`, 'run again');
    const fresh = { format: CLOSURE_FORMAT, files, hashes, packages };
    this.memo.set(entry, fresh);
    this.remembered[entry] = fresh;
    return fresh;
  }

  /** The package Node's lookup from `dir` finds first (node_modules of dir and its parents); null: none. */
  private installed(name: string, dir: string): Installed | null {
    const memoKey = `${dir}\0${name}`;
    if (this.installs.has(memoKey)) return this.installs.get(memoKey)!;
    let found: Installed | null = null;
    for (let d = dir; ; d = dirname(d)) {
      const manifest = join(d, 'node_modules', name, 'package.json');
      if (existsSync(manifest)) {
        found = readManifest(manifest);
        break;
      }
      if (dirname(d) === d) break;
    }
    this.installs.set(memoKey, found);
    return found;
  }

  private hashAll(files: string[]): Record<string, string> | null {
    const out: Record<string, string> = {};
    for (const f of files) {
      const h = this.stats.hashPath(f);
      if (!h) return null;
      out[f] = h.hash;
    }
    return out;
  }

  /** An esbuild input's absolute path (it names those under the working directory relatively). */
  private absolute(input: string): string {
    return isAbsolute(input) ? input : resolve(this.root, input);
  }

  /** esbuild's metafile inputs of a bundle of `entryPoints` (absolute), the code of `entry`. */
  private bundleInputs(entry: string, entryPoints: string[]): Record<string, { imports: { path: string; external?: boolean }[] }> {
    try {
      // Loaded on first use: most invocations find every closure remembered.
      const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
      return buildSync({
        entryPoints,
        absWorkingDir: this.root,
        bundle: true,
        write: false,
        metafile: true,
        platform: 'node',
        format: 'esm',
        packages: 'external',
        logLevel: 'silent',
        // Several entry points need somewhere to (not) write to.
        outdir: this.root,
      }).metafile!.inputs;
    } catch (e) {
      const errs = (e as { errors?: { text: string; location?: { file: string; line: number } }[] }).errors ?? [];
      const first = errs[0];
      const where = first?.location ? `${first.location.file}:${first.location.line}: ` : '';
      throw new InputError(
        `code of ${entry}: ${where}${first?.text ?? (e as Error).message}`,
        'fix the module so that it parses and its local imports resolve',
      );
    }
  }

  private closure(entry: string): { files: string[]; packages: Record<string, string> } {
    // Modules started as workers (new URL('./worker.ts', import.meta.url)) run the stage's
    // code as much as its imports do, but no bundler follows them: each one found becomes
    // another entry point, until no new one turns up.
    const entries = [resolve(this.root, entry)];
    let inputs = this.bundleInputs(entry, entries);
    for (;;) {
      const more = workerModules(Object.keys(inputs).map((input) => this.absolute(input))).filter((m) => !entries.includes(m));
      if (more.length === 0) break;
      entries.push(...more);
      inputs = this.bundleInputs(entry, entries);
    }
    const files: string[] = [];
    const packages: Record<string, string> = {};
    for (const [input, { imports }] of Object.entries(inputs)) {
      const abs = this.absolute(input);
      const rel = relative(this.root, abs);
      for (const i of imports) {
        if (!i.external || isBuiltin(i.path) || i.path.startsWith('.') || isAbsolute(i.path)) continue;
        packages[packageName(i.path)] ??= relative(this.root, dirname(abs)).split(sep).join('/') || '.';
      }
      // Modules outside the pipeline root (the engine, when a pipeline lives elsewhere) and
      // packages are versioned by their installs, not by this pipeline.
      if (rel.startsWith('..') || rel.split(sep).includes('node_modules')) continue;
      files.push(rel.split(sep).join('/'));
    }
    return { files: files.sort(), packages };
  }
}

/** An installed package's manifest, as far as keys need it. */
function readManifest(manifest: string): Installed {
  type Manifest = {
    version?: unknown;
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  };
  let m: Manifest;
  try {
    // Parsed here rather than by readJson: the fix for a package's manifest is reinstalling it.
    m = JSON.parse(readFileSync(manifest, 'utf8')) as Manifest;
  } catch {
    throw new InputError(`${manifest}: not valid JSON`, 'reinstall the package (npm ci)');
  }
  const optional = new Set(Object.keys(m.optionalDependencies ?? {}));
  const requires = new Map<string, boolean>();
  for (const name of Object.keys(m.dependencies ?? {})) requires.set(name, optional.has(name));
  for (const name of optional) requires.set(name, true);
  for (const name of Object.keys(m.peerDependencies ?? {})) if (!requires.has(name)) requires.set(name, m.peerDependenciesMeta?.[name]?.optional === true);
  return {
    version: typeof m.version === 'string' ? m.version : null,
    dir: dirname(manifest),
    requires: [...requires].map(([name, opt]) => ({ name, optional: opt })),
  };
}

/** A worker started from a module: new URL('<relative path>', import.meta.url), of a script. */
const WORKER_URL = /new\s+URL\(\s*(['"`])(\.{1,2}\/[^'"`]+?\.(?:[cm]?ts|[cm]?js))\1\s*,\s*import\.meta\.url\s*\)/g;

/** The modules `files` (absolute) start by URL, that exist, outside node_modules. */
function workerModules(files: string[]): string[] {
  const found = new Set<string>();
  for (const file of files) {
    if (file.split(sep).includes('node_modules')) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // esbuild's own inputs, such as <stdin>
    }
    for (const m of text.matchAll(WORKER_URL)) {
      const target = resolve(dirname(file), m[2]!);
      if (existsSync(target)) found.add(target);
    }
  }
  return [...found].sort();
}
