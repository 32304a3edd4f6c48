// A loaded pipeline plus the hashing state that persists between invocations
// (.repro/stat-cache.json and .repro/imports.json).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ImportGraph } from './imports.ts';
import { readJson, writeFileAtomic } from './json.ts';
import type { Hashing } from './keys.ts';
import { loadProject, type Project } from './project.ts';
import { StatCache } from './statcache.ts';

export interface Workspace extends Hashing {
  project: Project;
  /** Persists the stat cache and import closures. */
  save(): void;
}

export async function openWorkspace(root: string, profile?: string): Promise<Workspace> {
  const project = await loadProject(root, { profile });
  const stats = new StatCache(root, project.paths.statCache);
  const importsFile = join(project.paths.repro, 'imports.json');
  let remembered = {};
  if (existsSync(importsFile)) {
    try {
      remembered = readJson(importsFile) as Record<string, never>;
    } catch {
      remembered = {};
    }
  }
  const imports = new ImportGraph(root, stats, remembered);
  return {
    project,
    stats,
    imports,
    save() {
      stats.save();
      writeFileAtomic(importsFile, JSON.stringify(imports.snapshot()));
    },
  };
}
