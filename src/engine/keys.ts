// A stage's key: SHA-256 of the canonical JSON of everything that determines its outputs.
import type { KeyMaterial } from '../../schemas/types/lockfile.ts';
import { hashJson } from './hash.ts';
import { getKey } from './params.ts';
import type { ImportGraph } from './imports.ts';
import type { NormalStage, Project } from './project.ts';
import type { StatCache } from './statcache.ts';

/** Bumped whenever the meaning of a key changes; every stage is then stale. */
export const ENGINE_VERSION = 3;

export interface Hashing {
  stats: StatCache;
  imports: ImportGraph;
}

export interface KeyResult {
  material: KeyMaterial;
  key: string;
  /** Deps that do not exist yet (an upstream stage has not written them). */
  missingDeps: string[];
}

export function computeKey(project: Project, stage: NormalStage, h: Hashing): KeyResult {
  const deps: Record<string, string> = {};
  const missingDeps: string[] = [];
  for (const d of stage.deps) {
    const ph = h.stats.hashPath(d);
    if (ph) deps[d] = ph.kind === 'dir' ? `dir:${ph.hash}` : ph.hash;
    else {
      deps[d] = 'missing';
      missingDeps.push(d);
    }
  }
  const params: Record<string, unknown> = {};
  for (const k of stage.params) params[k] = getKey(project.params, k);
  const env: Record<string, string | null> = {};
  for (const name of stage.env) env[name] = process.env[name] ?? null;
  const material: KeyMaterial = {
    engine: ENGINE_VERSION,
    id: stage.id,
    run: stage.runLabel,
    code: stage.module ? h.imports.codeHashes(stage.module) : {},
    params,
    deps,
    env,
    packages: stage.module ? h.imports.packageVersions(stage.module, stage.packages) : {},
    outs: [...stage.outPaths].sort(),
    seed: stage.seed,
    args: stage.args,
  };
  return { material, key: hashJson(material), missingDeps };
}
