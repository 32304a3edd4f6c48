// Where a report came from: the tf backend the agents trained on (from the train stages' run
// records, the only place it is kept), and the parameters as dotted keys with their hash.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashJson } from '../engine/hash.ts';

/**
 * "wasm (cpu)" when every train stage's latest run used one backend, else each backend with
 * its count; "unknown" when no run record says (e.g. outputs restored from another machine).
 */
export function trainBackends(runsDir: string): string {
  if (!existsSync(runsDir)) return 'unknown (no run records)';
  const counts = new Map<string, number>();
  for (const stage of readdirSync(runsDir)
    .filter((d) => d.startsWith('train@'))
    .sort()) {
    const records = readdirSync(join(runsDir, stage))
      .filter((f) => f.endsWith('.json'))
      .sort();
    const latest = records[records.length - 1];
    if (!latest) continue;
    let facts: Record<string, unknown> | undefined;
    try {
      facts = JSON.parse(readFileSync(join(runsDir, stage, latest), 'utf8')).facts;
    } catch {
      continue; // a half-written record says nothing
    }
    const backend = typeof facts?.['tfBackend'] === 'string' ? facts['tfBackend'] : undefined;
    if (!backend) continue;
    const device = typeof facts?.['tfDevice'] === 'string' ? ` (${facts['tfDevice']})` : '';
    counts.set(`${backend}${device}`, (counts.get(`${backend}${device}`) ?? 0) + 1);
  }
  if (counts.size === 0) return 'unknown (no train run records name a backend)';
  if (counts.size === 1) return `${[...counts.keys()][0]}, all ${[...counts.values()][0]} agents`;
  return [...counts].map(([b, n]) => `${b}: ${n} agents`).join('; ');
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
