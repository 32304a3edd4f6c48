// The code a TypeScript stage runs: its module and the transitive closure of its local
// imports, found by esbuild's resolver (the same resolution tsx uses at run time).
// Closures are remembered per entry module and recomputed only when a file in the
// closure changed, because only a changed file can change what is imported.
import { createRequire } from 'node:module';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from './errors.ts';
import type { StatCache } from './statcache.ts';

export interface CodeClosure {
  /** Root-relative paths of every local module the entry reaches, sorted. */
  files: string[];
}

export class ImportGraph {
  private readonly memo = new Map<string, { files: string[]; hashes: Record<string, string> }>();

  constructor(
    private readonly root: string,
    private readonly stats: StatCache,
    private readonly remembered: Record<string, { files: string[]; hashes: Record<string, string> }> = {},
  ) {}

  /** Root-relative path → SHA-256 for every file in the closure of `entry` (root-relative). */
  codeHashes(entry: string): Record<string, string> {
    const cached = this.memo.get(entry);
    if (cached) return cached.hashes;
    const prior = this.remembered[entry];
    if (prior) {
      const hashes = this.hashAll(prior.files);
      if (hashes && prior.files.every((f) => hashes[f] === prior.hashes[f])) {
        this.memo.set(entry, prior);
        return prior.hashes;
      }
    }
    const files = this.closure(entry);
    const hashes = this.hashAll(files);
    if (!hashes) throw new InputError(`code of ${entry}: a module vanished while hashing`, 'run again');
    const fresh = { files, hashes };
    this.memo.set(entry, fresh);
    this.remembered[entry] = fresh;
    return hashes;
  }

  /** Drops what this run remembered of `entry`'s closure, so the next codeHashes() looks at the files again. */
  forget(entry: string): void {
    this.memo.delete(entry);
  }

  /** What to persist between invocations. */
  snapshot(): Record<string, { files: string[]; hashes: Record<string, string> }> {
    return this.remembered;
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

  private closure(entry: string): string[] {
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
    for (const input of Object.keys(result.metafile!.inputs)) {
      const abs = isAbsolute(input) ? input : resolve(this.root, input);
      const rel = relative(this.root, abs);
      // Modules outside the pipeline root (the engine, when a pipeline lives elsewhere) and
      // packages are versioned by their installs, not by this pipeline.
      if (rel.startsWith('..') || rel.split(sep).includes('node_modules')) continue;
      files.push(rel.split(sep).join('/'));
    }
    return files.sort();
  }
}
