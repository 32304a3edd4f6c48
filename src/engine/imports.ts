// The code a TypeScript stage runs: its module and the transitive closure of its local
// imports, found by esbuild's resolver (the same resolution tsx uses at run time), and the
// npm packages that code imports by name. Closures are remembered per entry module and
// recomputed only when a file in the closure changed, because only a changed file can change
// what is imported. Package versions are read again by every invocation: an npm install
// changes them without touching the pipeline's files.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from './errors.ts';
import type { StatCache } from './statcache.ts';

/** What is remembered of an entry module between invocations. */
interface Remembered {
  /** Root-relative paths of every local module the entry reaches, sorted. */
  files: string[];
  hashes: Record<string, string>;
  /** Package name → the root-relative directory of a module that imports it (where Node's lookup starts). */
  packages: Record<string, string>;
}

/** An import specifier's package name: '@scope/name' or 'name', without a subpath. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

export class ImportGraph {
  private readonly memo = new Map<string, Remembered>();
  private readonly versions = new Map<string, string | null>();

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
   * Package name → installed version (null: not installed) of every package the closure of
   * `entry` imports by name, and of `declared` ones it loads by a name the code does not
   * spell out (looked up from the entry's directory).
   */
  packageVersions(entry: string, declared: readonly string[] = []): Record<string, string | null> {
    const from: Record<string, string> = { ...this.closureOf(entry).packages };
    for (const name of declared) from[name] ??= dirname(entry);
    const out: Record<string, string | null> = {};
    for (const name of Object.keys(from).sort()) out[name] = this.installedVersion(name, resolve(this.root, from[name]!));
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
    // A closure remembered before packages were (no `packages`) is found again.
    if (prior?.packages) {
      const hashes = this.hashAll(prior.files);
      if (hashes && prior.files.every((f) => hashes[f] === prior.hashes[f])) {
        this.memo.set(entry, prior);
        return prior;
      }
    }
    const { files, packages } = this.closure(entry);
    const hashes = this.hashAll(files);
    if (!hashes) throw new InputError(`code of ${entry}: a module vanished while hashing`, 'run again');
    const fresh = { files, hashes, packages };
    this.memo.set(entry, fresh);
    this.remembered[entry] = fresh;
    return fresh;
  }

  /** The version in the package.json Node's lookup from `dir` finds first (node_modules of dir and its parents). */
  private installedVersion(name: string, dir: string): string | null {
    const memoKey = `${dir}\0${name}`;
    if (this.versions.has(memoKey)) return this.versions.get(memoKey)!;
    let version: string | null = null;
    for (let d = dir; ; d = dirname(d)) {
      const manifest = join(d, 'node_modules', name, 'package.json');
      if (existsSync(manifest)) {
        try {
          const v = (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown }).version;
          version = typeof v === 'string' ? v : null;
        } catch {
          throw new InputError(`${manifest}: not valid JSON`, 'reinstall the package (npm ci)');
        }
        break;
      }
      if (dirname(d) === d) break;
    }
    this.versions.set(memoKey, version);
    return version;
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

  private closure(entry: string): { files: string[]; packages: Record<string, string> } {
    let result;
    try {
      // Loaded on first use: most invocations find every closure remembered.
      const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
      result = buildSync({
        entryPoints: [resolve(this.root, entry)],
        absWorkingDir: this.root,
        bundle: true,
        write: false,
        metafile: true,
        platform: 'node',
        format: 'esm',
        packages: 'external',
        logLevel: 'silent',
      });
    } catch (e) {
      const errs = (e as { errors?: { text: string; location?: { file: string; line: number } }[] }).errors ?? [];
      const first = errs[0];
      const where = first?.location ? `${first.location.file}:${first.location.line}: ` : '';
      throw new InputError(
        `code of ${entry}: ${where}${first?.text ?? (e as Error).message}`,
        'fix the module so that it parses and its local imports resolve',
      );
    }
    const files: string[] = [];
    const packages: Record<string, string> = {};
    for (const [input, { imports }] of Object.entries(result.metafile!.inputs)) {
      const abs = isAbsolute(input) ? input : resolve(this.root, input);
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
