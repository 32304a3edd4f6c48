// Run records: the volatile facts of each stage execution (times, host, git state, Node
// version, peak memory), kept under .repro/runs/ and never part of a key or lock.
import { existsSync, readdirSync } from 'node:fs';
import { hostname, platform, arch } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunRecord, GitFacts } from '../../schemas/types/run-record.ts';
import { openCheckout } from './checkout.ts';
import { readJsonValidated, writeJsonValidated } from './json.ts';
import { within } from './project.ts';

const SCHEMA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas', 'run-record.schema.json');

export type { RunRecord };

/**
 * Commit and dirty flag of the checkout; nulls outside a git repository. Dirty means a
 * change to what the pipeline reads: paths the pipeline writes itself (`written`:
 * root-relative files or directories, such as the stages' outputs and the lock records) do
 * not count, or a run would call a clean checkout dirty as soon as it rewrote a committed
 * figure, and every record after that one would say so too.
 */
export async function gitFacts(root: string, written: readonly string[]): Promise<GitFacts> {
  try {
    const checkout = await openCheckout(root);
    if (checkout === null) return { commit: null, dirty: false };
    const commit = (await checkout.git.revparse(['HEAD']).catch(() => null))?.trim() ?? null;
    const status = await checkout.git.status();
    const isWritten = (path: string) => written.some((w) => within(checkout.projectPath(path), w));
    // A rename counts by both of its ends.
    return { commit, dirty: status.files.some((f) => [f.path, f.from].some((p) => p && !isWritten(p))) };
  } catch {
    return { commit: null, dirty: false };
  }
}

export function hostFacts(): Pick<RunRecord, 'host' | 'node' | 'platform'> {
  return { host: hostname(), node: process.version, platform: `${platform()}-${arch()}` };
}

export function writeRunRecord(runsDir: string, record: RunRecord): string {
  const file = join(runsDir, record.id, `${record.start.replace(/[:.]/g, '-')}.json`);
  writeJsonValidated(SCHEMA, file, record);
  return file;
}

/** A stage's run records, oldest first (their names are their start times); damaged ones are left out. */
export function readRunRecords(runsDir: string, id: string): RunRecord[] {
  const dir = join(runsDir, id);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => {
      try {
        return [readJsonValidated<RunRecord>(SCHEMA, join(dir, f))];
      } catch {
        return [];
      }
    });
}
