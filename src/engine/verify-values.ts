// The numbers behind an output verified with a tolerance: selected by dotted JSON paths
// (`*` for every element), recorded in the lock so `repro verify` can compare them.
import { readFileSync } from 'node:fs';

export type Values = Record<string, number>;

/** Flattens the selected numbers of a JSON file to { 'a.0.b': 1.5, … }. */
export function lockedValues(file: string, fields: string[]): Values {
  const data = JSON.parse(readFileSync(file, 'utf8'));
  const out: Values = {};
  for (const f of fields) collect(data, f.split('.'), [], out);
  return out;
}

function collect(node: unknown, rest: string[], at: string[], out: Values): void {
  if (rest.length === 0) {
    if (typeof node === 'number') out[at.join('.')] = node;
    else if (Array.isArray(node) || (node && typeof node === 'object')) {
      for (const [k, v] of Object.entries(node)) collect(v, [], [...at, k], out);
    }
    return;
  }
  const [head, ...tail] = rest;
  if (node === null || typeof node !== 'object') return;
  if (head === '*') {
    for (const [k, v] of Object.entries(node)) collect(v, tail, [...at, k], out);
  } else if (Object.prototype.hasOwnProperty.call(node, head!)) {
    collect((node as Record<string, unknown>)[head!], tail, [...at, head!], out);
  }
}
