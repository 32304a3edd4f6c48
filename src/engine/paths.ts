// Where a pipeline keeps its own state, by profile. A module of its own, free of the
// pipeline loader's imports (tsx, esbuild): a stage that reads these paths keys on this file
// alone, not on the loader's packages (esbuild's build for one platform among them).
import { join } from 'node:path';

export interface ProjectPaths {
  repro: string;
  locks: string;
  logs: string;
  cache: string;
  staging: string;
  runs: string;
  statCache: string;
}

export function projectPaths(root: string, profile: string): ProjectPaths {
  const repro = join(root, '.repro');
  return {
    repro,
    // Lock records are kept per profile so that profiles never overwrite each other.
    locks: profile === 'default' ? join(root, 'lockfiles') : join(root, 'lockfiles', profile),
    logs: join(repro, 'logs'),
    cache: join(repro, 'cache'),
    staging: join(repro, 'staging'),
    runs: join(repro, 'runs'),
    statCache: join(repro, 'stat-cache.json'),
  };
}
