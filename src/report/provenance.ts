// Where a report came from: the tf backend the agents trained on (from the train stages' run
// records, the only place it is kept), and the parameters as dotted keys with their hash.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashJson } from '../engine/hash.ts';

/**
 * "wasm (cpu)" when every train stage's latest run used one backend, else each backend with
 * its count; "unknown" when no run record says (e.g. outputs restored from another machine).
 * A stage restored from the run cache leaves a record without facts: the backend is in the
 * latest record that names one, the run that made the output.
 */
export function trainBackends(runsDir: string): string {
  if (!existsSync(runsDir)) return 'unknown (no run records)';
  const counts = new Map<string, number>();
  for (const stage of readdirSync(runsDir)
    .filter((d) => d.startsWith('train@'))
    .sort()) {
    const backend = latestBackend(join(runsDir, stage));
    if (backend !== undefined) counts.set(backend, (counts.get(backend) ?? 0) + 1);
  }
  if (counts.size === 0) return 'unknown (no train run records name a backend)';
  const agents = (n: number) => (n === 1 ? '1 agent' : `${n} agents`);
  if (counts.size === 1) {
    const [[backend, n]] = [...counts] as [[string, number]];
    return `${backend}, ${n === 1 ? '' : 'all '}${agents(n)}`;
  }
  return [...counts]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([b, n]) => `${b}: ${agents(n)}`)
    .join('; ');
}

/** "wasm (cpu)" from the newest of a stage's run records that names a backend. */
function latestBackend(stageRuns: string): string | undefined {
  const records = readdirSync(stageRuns)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .reverse();
  for (const record of records) {
    let facts: Record<string, unknown> | undefined;
    try {
      facts = JSON.parse(readFileSync(join(stageRuns, record), 'utf8')).facts;
    } catch {
      continue; // a half-written record says nothing
    }
    const backend = facts?.['tfBackend'];
    if (typeof backend !== 'string') continue;
    const device = typeof facts?.['tfDevice'] === 'string' ? ` (${facts['tfDevice']})` : '';
    return `${backend}${device}`;
  }
  return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** { a: { b: 1, c: [2] } } → { 'a.b': 1, 'a.c': [2] }; arrays are values, not nested keys. */
export function flattenParams(params: unknown, prefix = ''): Record<string, unknown> {
  if (!isPlainObject(params)) return prefix ? { [prefix]: params } : {};
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(params).sort()) {
    const path = prefix ? `${prefix}.${key}` : key;
    const value = params[key];
    if (isPlainObject(value)) Object.assign(out, flattenParams(value, path));
    else out[path] = value;
  }
  return out;
}

/** SHA-256 of the canonical JSON of the parameters. */
export function paramsHash(params: unknown): string {
  return hashJson(params);
}
