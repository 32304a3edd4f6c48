// Content hashes: SHA-256 of files (streamed in large blocks), of directory manifests, and of
// canonical JSON. The stat cache (statcache.ts) decides when a file must be read at all.
import { createHash } from 'node:crypto';
import { openSync, readSync, closeSync } from 'node:fs';
import { canonicalJson } from './json.ts';

const BLOCK = 4 * 1024 * 1024;
let sharedBuffer: Buffer | null = null;

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hashJson(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** SHA-256 of a file's bytes. Synchronous reads of 4 MiB blocks keep the hash fed without event-loop overhead. */
export function hashFile(file: string): { hash: string; size: number } {
  sharedBuffer ??= Buffer.allocUnsafe(BLOCK);
  const h = createHash('sha256');
  const fd = openSync(file, 'r');
  let size = 0;
  try {
    for (;;) {
      const n = readSync(fd, sharedBuffer, 0, BLOCK, null);
      if (n === 0) break;
      h.update(n === BLOCK ? sharedBuffer : sharedBuffer.subarray(0, n));
      size += n;
    }
  } finally {
    closeSync(fd);
  }
  return { hash: h.digest('hex'), size };
}

export interface ManifestEntry {
  hash: string;
  size: number;
}

/** A directory's hash: SHA-256 of the canonical JSON of its sorted relative paths and file hashes. */
export function hashManifest(files: Record<string, ManifestEntry>): string {
  const sorted = Object.keys(files)
    .sort()
    .map((p) => [p, files[p]!.hash]);
  return sha256Hex(canonicalJson(sorted));
}
