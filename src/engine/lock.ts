// Lock records: lockfiles/<stage-id>.json, the key material of a stage's last successful run
// and the hashes of its outputs. Sorted and free of volatile facts, so they diff and merge.
import { existsSync, rmSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LockRecord } from '../../schemas/types/lockfile.ts';
import { InputError } from './errors.ts';
import { readJsonValidated, writeJsonValidated } from './json.ts';

export type { LockRecord };

const SCHEMA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas', 'lockfile.schema.json');

export function lockPath(lockDir: string, id: string): string {
  return join(lockDir, `${id}.json`);
}

export function readLock(lockDir: string, id: string): LockRecord | null {
  const file = lockPath(lockDir, id);
  if (!existsSync(file)) return null;
  try {
    return readJsonValidated<LockRecord>(SCHEMA, file);
  } catch (e) {
    const msg = e instanceof InputError ? e.message : String(e);
    throw new InputError(
      `lock record ${relative(process.cwd(), file)} is damaged: ${msg}`,
      `restore it from git (git checkout -- ${relative(process.cwd(), file)}) or delete it so that stage ${id} reruns`,
    );
  }
}

export function writeLock(lockDir: string, lock: LockRecord): void {
  writeJsonValidated(SCHEMA, lockPath(lockDir, lock.id), lock);
}

export function removeLock(lockDir: string, id: string): void {
  rmSync(lockPath(lockDir, id), { force: true });
}
