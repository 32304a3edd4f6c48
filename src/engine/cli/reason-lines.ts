// Why a stage is stale, as lines for a person. A stage below a wide matrix has one upstream
// reason per instance (the study's elo@connect4: 3,237 tournament shards at the paper's
// scale), which as a list is a wall of ids: those of one matrix read as one line, with a
// count and the first and last ids. `--json` keeps every reason.
import type { StaleReason } from '../status.ts';

/** Upstream stages of one matrix listed one by one up to this many; a count above it. */
const LISTED = 3;

export function reasonLines(reasons: readonly StaleReason[]): string[] {
  const byMatrix = new Map<string, StaleReason[]>();
  for (const r of reasons.filter((r) => r.kind === 'upstream')) {
    const name = r.path!.split('@')[0]!;
    byMatrix.set(name, [...(byMatrix.get(name) ?? []), r]);
  }
  const lines: string[] = [];
  for (const [name, group] of byMatrix) {
    if (group.length <= LISTED) lines.push(...group.map((r) => r.message));
    else lines.push(`upstream ${group.length} ${name} stages will rerun (${group[0]!.path} … ${group.at(-1)!.path})`);
  }
  return [...lines, ...reasons.filter((r) => r.kind !== 'upstream').map((r) => r.message)];
}
