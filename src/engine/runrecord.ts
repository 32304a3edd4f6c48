// Run records: the volatile facts of each stage execution (times, host, git state, Node
// version, peak memory), kept under .repro/runs/ and never part of a key or lock.
import { hostname, platform, arch } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunRecord, GitFacts } from '../../schemas/types/run-record.ts';
import { writeJsonValidated } from './json.ts';

const SCHEMA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas', 'run-record.schema.json');

export type { RunRecord };

const gitMemo = new Map<string, Promise<GitFacts>>();

/** Commit and dirty flag of the checkout, once per process; nulls outside a git repository. */
export function gitFacts(root: string): Promise<GitFacts> {
  let p = gitMemo.get(root);
  if (!p) {
    p = (async () => {
      try {
        // Loaded on first use, so commands that record no runs do not pay for it.
        const { simpleGit } = await import('simple-git');
        const git = simpleGit(root);
        if (!(await git.checkIsRepo())) return { commit: null, dirty: false };
        const commit = (await git.revparse(['HEAD']).catch(() => null))?.trim() ?? null;
        const status = await git.status();
        return { commit, dirty: !status.isClean() };
      } catch {
        return { commit: null, dirty: false };
      }
    })();
    gitMemo.set(root, p);
  }
  return p;
}

export function hostFacts(): Pick<RunRecord, 'host' | 'node' | 'platform'> {
  return { host: hostname(), node: process.version, platform: `${platform()}-${arch()}` };
}

export function writeRunRecord(runsDir: string, record: RunRecord): string {
  const file = join(runsDir, record.id, `${record.start.replace(/[:.]/g, '-')}.json`);
  writeJsonValidated(SCHEMA, file, record);
  return file;
}
