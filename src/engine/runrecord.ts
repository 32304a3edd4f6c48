// Run records: the volatile facts of each stage execution (times, host, git state, Node
// version, peak memory), kept under .repro/runs/ and never part of a key or lock.
import { hostname, platform, arch } from 'node:os';
import { realpathSync } from 'node:fs';
import { join, dirname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunRecord, GitFacts } from '../../schemas/types/run-record.ts';
import { writeJsonValidated } from './json.ts';
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
    // Loaded on first use, so commands that record no runs do not pay for it.
    const { simpleGit } = await import('simple-git');
    const git = simpleGit(root);
    if (!(await git.checkIsRepo())) return { commit: null, dirty: false };
    const commit = (await git.revparse(['HEAD']).catch(() => null))?.trim() ?? null;
    const top = realpathSync((await git.revparse(['--show-toplevel'])).trim());
    const project = realpathSync(root);
    const status = await git.status();
    const isWritten = (path: string) => {
      const rel = relative(project, join(top, path)).split(sep).join('/');
      return written.some((w) => within(rel, w));
    };
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
