// `repro gc`: gives back the disk space of runs nobody can ask for any more. The run cache
// keeps every successful run's outputs forever (switching a parameter back restores them);
// gc keeps the entries whose key a lock record of some profile names, the outputs the
// checkout describes, and removes the other entries, then every object no kept entry uses.
// Run records go past the newest few per stage, except those of kept keys (the provenance
// of the outputs in place). Staging directories are removed when empty; one that holds an
// interrupted stage's files, its resume state, only when asked.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RunCache } from './cache.ts';
import { readJson } from './json.ts';
import { readLock } from './lock.ts';
import { formatBytes } from './progress.ts';
import { projectPaths } from './paths.ts';

export interface GcOptions {
  /** Say what would go, and remove nothing. */
  dryRun: boolean;
  /** Run records kept per stage beyond those of kept keys, newest first. */
  keepRuns: number;
  /** Also remove staging directories that hold files (interrupted stages' resume state). */
  staging: boolean;
  /** Keys to keep besides the checkout's lock records' (committed-locks.ts), and the refs that name them. */
  alsoKeep?: { keys: Set<string>; refs: string[] };
}

export interface GcReport {
  /** The lock-record directories read: 'default' and each profile's. */
  profiles: string[];
  /** The branches and tags whose committed lock records were read too. */
  refs: string[];
  entries: { kept: number; removed: number };
  objects: { kept: number; keptBytes: number; removed: number; removedBytes: number };
  runRecords: { kept: number; removed: number; removedBytes: number };
  /** Staging directories removed, and the stages whose staging holds files and was kept. */
  staging: { removed: number; kept: string[] };
}

/** The keys named by every profile's lock records: lockfiles/*.json and lockfiles/<profile>/*.json. */
function lockedKeys(root: string): { keys: Set<string>; profiles: string[] } {
  const top = projectPaths(root, 'default').locks;
  const keys = new Set<string>();
  const profiles: string[] = [];
  if (!existsSync(top)) return { keys, profiles };
  const read = (dir: string, profile: string) => {
    const ids = readdirSync(dir).filter((f) => f.endsWith('.json') && statSync(join(dir, f)).isFile());
    if (ids.length) profiles.push(profile);
    // readLock refuses a damaged record: gc cannot know what it names, so it removes nothing.
    for (const f of ids) keys.add(readLock(dir, f.slice(0, -'.json'.length))!.key);
  };
  read(top, 'default');
  for (const d of readdirSync(top, { withFileTypes: true })) if (d.isDirectory()) read(join(top, d.name), d.name);
  return { keys, profiles };
}

function keyOfRecord(file: string): string | null {
  try {
    const key = (readJson(file) as { key?: unknown }).key;
    return typeof key === 'string' ? key : null;
  } catch {
    return null;
  }
}

function hasFiles(dir: string): boolean {
  return readdirSync(dir, { withFileTypes: true }).some((d) => !d.isDirectory() || hasFiles(join(dir, d.name)));
}

export function collectGarbage(root: string, opts: GcOptions): GcReport {
  const paths = projectPaths(root, 'default');
  const { keys: kept, profiles } = lockedKeys(root);
  for (const key of opts.alsoKeep?.keys ?? []) kept.add(key);
  const remove = (path: string) => {
    if (!opts.dryRun) rmSync(path, { recursive: true, force: true });
  };

  // Entries first, objects after: a kept entry never points at a removed object, whenever
  // gc stops.
  const cache = new RunCache(paths.cache);
  const used = new Set<string>();
  const entries = { kept: 0, removed: 0 };
  for (const key of cache.keys()) {
    const entry = kept.has(key) ? cache.entry(key, { leaveDamaged: opts.dryRun }) : null;
    if (entry === null) {
      if (!opts.dryRun) cache.removeEntry(key);
      entries.removed++;
      continue;
    }
    entries.kept++;
    for (const hash of RunCache.objectsOf(entry)) used.add(hash);
  }
  const objects = { kept: 0, keptBytes: 0, removed: 0, removedBytes: 0 };
  for (const { hash, bytes } of cache.objects()) {
    if (used.has(hash)) {
      objects.kept++;
      objects.keptBytes += bytes;
    } else {
      if (!opts.dryRun) cache.removeObject(hash);
      objects.removed++;
      objects.removedBytes += bytes;
    }
  }

  const runRecords = { kept: 0, removed: 0, removedBytes: 0 };
  if (existsSync(paths.runs)) {
    for (const stage of readdirSync(paths.runs, { withFileTypes: true })) {
      if (!stage.isDirectory()) continue;
      const dir = join(paths.runs, stage.name);
      // Named by their start time: newest last.
      const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
      files.forEach((f, i) => {
        const file = join(dir, f);
        const recent = i >= files.length - opts.keepRuns;
        if (recent || kept.has(keyOfRecord(file) ?? '')) {
          runRecords.kept++;
          return;
        }
        runRecords.removedBytes += statSync(file).size;
        runRecords.removed++;
        remove(file);
      });
    }
  }

  const staging = { removed: 0, kept: [] as string[] };
  if (existsSync(paths.staging)) {
    for (const d of readdirSync(paths.staging, { withFileTypes: true })) {
      if (!d.isDirectory()) continue;
      const dir = join(paths.staging, d.name);
      if (hasFiles(dir) && !opts.staging) {
        staging.kept.push(d.name);
        continue;
      }
      staging.removed++;
      remove(dir);
    }
  }
  return { profiles, refs: opts.alsoKeep?.refs ?? [], entries, objects, runRecords, staging };
}

/** The report as lines for people; `dryRun` words it as what would happen. */
export function describeGc(report: GcReport, root: string, dryRun: boolean): string[] {
  const removed = dryRun ? 'would remove' : 'removed';
  const { entries, objects, runRecords, staging } = report;
  const refs = report.refs.length ? ` and by those committed on ${report.refs.length <= 3 ? report.refs.join(', ') : `${report.refs.length} branches and tags`}` : '';
  const lines = [
    `run cache: kept ${entries.kept} entries (${objects.kept} objects, ${formatBytes(objects.keptBytes)}), named by the lock records of ${report.profiles.join(', ') || 'no profile'}${refs}; ` +
      `${removed} ${entries.removed} other entries and ${objects.removed} objects (${formatBytes(objects.removedBytes)})`,
    `run records: ${removed} ${runRecords.removed} (${formatBytes(runRecords.removedBytes)}); kept ${runRecords.kept}, the newest per stage and those of kept entries`,
    `staging: ${removed} ${staging.removed} director${staging.removed === 1 ? 'y' : 'ies'}`,
  ];
  if (staging.kept.length) {
    const dir = relative(root, projectPaths(root, 'default').staging);
    lines.push(`  kept ${dir}/ of ${staging.kept.join(', ')}: an interrupted run's files, from which the next run resumes (--staging removes them)`);
  }
  return lines;
}
