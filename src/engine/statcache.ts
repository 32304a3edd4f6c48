// The stat cache: (device, inode, size, mtime-ns, ctime-ns) → content hash, so that an
// unchanged file is never read twice. A file whose mtime falls within the clock's
// granularity of the moment it was hashed could have changed again in the same tick
// without its stat changing ("racy" entries, as in git): such entries are rehashed.
import { statSync, readdirSync, existsSync, type BigIntStats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { hashFile, hashManifest, type ManifestEntry } from './hash.ts';
import { readJson, writeFileAtomic } from './json.ts';

/** Timestamps closer than this to the hashing moment are not trusted (coarse and network filesystems). */
const GRANULARITY_NS = 2_000_000_000n;
const FORMAT = 1;

type Entry = [dev: string, ino: string, size: number, mtimeNs: string, ctimeNs: string, hash: string, hashedAtNs: string];

export interface PathHash {
  kind: 'file' | 'dir';
  hash: string;
  size: number;
  /** For directories: every file below it, by path relative to the directory. */
  files?: Record<string, ManifestEntry>;
}

export class StatCache {
  private entries: Record<string, Entry> = {};
  private dirty = false;
  /** Files read (not served from the cache) since construction: for tests and benchmarks. */
  filesHashed = 0;

  constructor(
    private readonly root: string,
    private readonly file: string,
  ) {
    if (existsSync(file)) {
      try {
        const data = readJson(file) as { format?: number; entries?: Record<string, Entry> };
        // A damaged or foreign cache only costs rehashing: start empty.
        if (data.format === FORMAT && data.entries && typeof data.entries === 'object') this.entries = data.entries;
      } catch {
        this.entries = {};
      }
    }
  }

  /** Hash of a file or directory (relative to the root or absolute), or null if it does not exist. */
  hashPath(path: string): PathHash | null {
    const abs = path.startsWith('/') ? path : join(this.root, path);
    let st: BigIntStats;
    try {
      st = statSync(abs, { bigint: true });
    } catch {
      return null;
    }
    if (st.isDirectory()) return this.hashDir(abs);
    const h = this.hashStatted(abs, st);
    return { kind: 'file', hash: h.hash, size: h.size };
  }

  private hashDir(abs: string): PathHash {
    const files: Record<string, ManifestEntry> = {};
    let size = 0;
    const walk = (dir: string) => {
      for (const ent of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, ent.name);
        if (ent.isDirectory()) walk(p);
        else if (ent.isFile() || ent.isSymbolicLink()) {
          const st = statSync(p, { bigint: true });
          if (st.isDirectory()) {
            walk(p);
            continue;
          }
          const h = this.hashStatted(p, st);
          files[relative(abs, p).split(sep).join('/')] = h;
          size += h.size;
        }
      }
    };
    walk(abs);
    return { kind: 'dir', hash: hashManifest(files), size, files };
  }

  private hashStatted(abs: string, st: BigIntStats): ManifestEntry {
    const key = relative(this.root, abs);
    const e = this.entries[key];
    const dev = String(st.dev);
    const ino = String(st.ino);
    const size = Number(st.size);
    const mtime = String(st.mtimeNs);
    const ctime = String(st.ctimeNs);
    if (
      e &&
      e[0] === dev &&
      e[1] === ino &&
      e[2] === size &&
      e[3] === mtime &&
      e[4] === ctime &&
      st.mtimeNs + GRANULARITY_NS < BigInt(e[6])
    ) {
      return { hash: e[5], size };
    }
    // Taken before reading, so a write during the read leaves the entry racy.
    const hashedAt = nowNs();
    const { hash } = hashFile(abs);
    this.filesHashed++;
    this.entries[key] = [dev, ino, size, mtime, ctime, hash, String(hashedAt)];
    this.dirty = true;
    return { hash, size };
  }

  /** Forget entries of paths below a prefix (after the engine moved new content into place). */
  forget(pathPrefix: string): void {
    for (const k of Object.keys(this.entries)) {
      if (k === pathPrefix || k.startsWith(pathPrefix + '/')) {
        delete this.entries[k];
        this.dirty = true;
      }
    }
  }

  save(): void {
    if (!this.dirty) return;
    writeFileAtomic(this.file, JSON.stringify({ format: FORMAT, entries: this.entries }));
    this.dirty = false;
  }
}

/** Wall-clock time in nanoseconds, on the same clock the filesystem stamps mtimes with. */
function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
