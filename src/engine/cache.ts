// The run cache: the outputs of every successful run, stored by content under
// .repro/cache/objects/, and one entry per key under .repro/cache/runs/. A key seen before
// restores its outputs instead of recomputing them; every restored byte is re-hashed, so a
// corrupted object is detected, removed, and the stage reruns.
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, constants } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunCacheEntry, CachedOutput } from '../../schemas/types/run-cache-entry.ts';
import { hashFile } from './hash.ts';
import { readJsonValidated, writeJsonValidated } from './json.ts';
import type { PathHash } from './statcache.ts';

const SCHEMA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas', 'run-cache-entry.schema.json');

export class CorruptCacheError extends Error {
  constructor(
    readonly object: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`cache object ${object} is corrupted (expected sha256 ${expected.slice(0, 12)}…, found ${actual.slice(0, 12)}…)`);
  }
}

export class RunCache {
  constructor(private readonly dir: string) {}

  private entryFile(key: string): string {
    return join(this.dir, 'runs', `${key}.json`);
  }

  /** A cache path as the user sees it, from the pipeline root (.repro/cache/…). */
  private display(p: string): string {
    return relative(join(this.dir, '..', '..'), p);
  }

  objectPath(hash: string): string {
    return join(this.dir, 'objects', hash.slice(0, 2), hash.slice(2));
  }

  /** The entry for a key, or null. A damaged entry is treated as absent, and removed unless `leaveDamaged`. */
  entry(key: string, { leaveDamaged = false } = {}): RunCacheEntry | null {
    const file = this.entryFile(key);
    if (!existsSync(file)) return null;
    try {
      return readJsonValidated<RunCacheEntry>(SCHEMA, file);
    } catch {
      if (!leaveDamaged) rmSync(file, { force: true });
      return null;
    }
  }

  /** The keys of every entry stored. */
  keys(): string[] {
    const dir = join(this.dir, 'runs');
    if (!existsSync(dir)) return [];
    return readdirSync(dir).flatMap((f) => (/^[0-9a-f]{64}\.json$/.test(f) ? [f.slice(0, -'.json'.length)] : []));
  }

  /** Every object stored, by content hash, with its size in bytes. */
  objects(): { hash: string; bytes: number }[] {
    const dir = join(this.dir, 'objects');
    if (!existsSync(dir)) return [];
    const out: { hash: string; bytes: number }[] = [];
    for (const prefix of readdirSync(dir)) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const rest of readdirSync(join(dir, prefix))) {
        // Half-copied objects (a killed run's .tmp files) are not objects.
        if (!/^[0-9a-f]{62}$/.test(rest)) continue;
        out.push({ hash: prefix + rest, bytes: statSync(join(dir, prefix, rest)).size });
      }
    }
    return out;
  }

  removeEntry(key: string): void {
    rmSync(this.entryFile(key), { force: true });
  }

  removeObject(hash: string): void {
    rmSync(this.objectPath(hash), { force: true });
  }

  /** Stores the outputs of a run (hashed already, files at their staging paths). */
  store(key: string, id: string, outs: Record<string, { abs: string; hash: PathHash }>): void {
    const entry: RunCacheEntry = { key, id, outs: {} };
    for (const [path, { abs, hash }] of Object.entries(outs)) {
      const rec: CachedOutput = { kind: hash.kind, hash: hash.hash, size: hash.size };
      if (hash.kind === 'dir') {
        rec.files = {};
        for (const [rel, f] of Object.entries(hash.files!)) {
          this.putObject(join(abs, rel), f.hash);
          rec.files[rel] = { hash: f.hash, size: f.size };
        }
      } else {
        this.putObject(abs, hash.hash);
      }
      entry.outs[path] = rec;
    }
    writeJsonValidated(SCHEMA, this.entryFile(key), entry);
  }

  private putObject(src: string, hash: string): void {
    const dst = this.objectPath(hash);
    if (existsSync(dst)) return;
    mkdirSync(dirname(dst), { recursive: true });
    const tmp = `${dst}.${process.pid}.tmp`;
    // A copy (cloned where the filesystem can), never a hard link: editing an output in
    // place must not edit the cache.
    copyFileSync(src, tmp, constants.COPYFILE_FICLONE);
    renameSync(tmp, dst);
  }

  /** The content hashes of the objects an entry's outputs are made of. */
  static objectsOf(entry: RunCacheEntry): string[] {
    return Object.values(entry.outs).flatMap((out) => (out.kind === 'dir' ? Object.values(out.files ?? {}).map((f) => f.hash) : [out.hash]));
  }

  /**
   * Copies an entry's outputs into `stagingRoot` (mirroring their paths), verifying every
   * byte. On a mismatch the object and the entry are removed and CorruptCacheError thrown.
   */
  restore(entry: RunCacheEntry, stagingRoot: string): void {
    for (const [path, out] of Object.entries(entry.outs)) {
      const target = join(stagingRoot, path);
      if (out.kind === 'dir') {
        mkdirSync(target, { recursive: true });
        for (const [rel, f] of Object.entries(out.files ?? {})) this.restoreObject(entry.key, f.hash, join(target, rel));
      } else {
        this.restoreObject(entry.key, out.hash, target);
      }
    }
  }

  private restoreObject(key: string, hash: string, target: string): void {
    const obj = this.objectPath(hash);
    mkdirSync(dirname(target), { recursive: true });
    if (!existsSync(obj)) {
      rmSync(this.entryFile(key), { force: true });
      throw new CorruptCacheError(this.display(obj), hash, 'missing');
    }
    copyFileSync(obj, target, constants.COPYFILE_FICLONE);
    const actual = hashFile(target).hash;
    if (actual !== hash) {
      rmSync(obj, { force: true });
      rmSync(this.entryFile(key), { force: true });
      throw new CorruptCacheError(this.display(obj), hash, actual);
    }
  }
}
