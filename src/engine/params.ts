// Parameters: params.json (plus an optional profile overlay), validated against
// schemas/params.schema.json before anything runs, read by dotted keys.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { assertValid, readJson } from './json.ts';
import { InputError } from './errors.ts';

export type Params = Record<string, unknown>;

const MISSING = Symbol('missing');

/** Value at a dotted key, or MISSING. */
export function lookup(params: unknown, key: string): unknown | typeof MISSING {
  let cur: unknown = params;
  for (const part of key.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, part)) return MISSING;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function hasKey(params: unknown, key: string): boolean {
  return lookup(params, key) !== MISSING;
}

export function getKey(params: unknown, key: string): unknown {
  const v = lookup(params, key);
  if (v === MISSING) throw new InputError(`params: no key '${key}'`, `add '${key}' to params.json`);
  return v;
}

/** Objects merge key by key; anything else in the overlay replaces the base value. */
export function deepMerge(base: unknown, overlay: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(overlay)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(overlay)) out[k] = k in out ? deepMerge(out[k], v) : v;
    return out;
  }
  return overlay;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Loads params.json, applies profiles/<profile>.json, validates the result against the schema. */
export function loadParams(root: string, profile?: string): Params {
  const file = join(root, 'params.json');
  let params: unknown = existsSync(file) ? readJson(file) : {};
  let where = relative(process.cwd(), file) || 'params.json';
  if (profile && profile !== 'default') {
    const overlayFile = join(root, 'profiles', `${profile}.json`);
    if (!existsSync(overlayFile)) {
      throw new InputError(`profile '${profile}': ${relative(process.cwd(), overlayFile)} does not exist`, 'create it or choose another --profile');
    }
    params = deepMerge(params, readJson(overlayFile));
    where = `${where} + profiles/${profile}.json`;
  }
  const schema = join(root, 'schemas', 'params.schema.json');
  if (existsSync(schema)) assertValid(schema, params, where);
  if (!isPlainObject(params)) throw new InputError(`${where}: must be a JSON object`, 'wrap the parameters in { … }');
  return params;
}

/** Only the declared keys, nested as in params.json. */
export function pickParams(params: Params, keys: string[]): Params {
  const out: Params = {};
  for (const key of keys) {
    const parts = key.split('.');
    let cur = out;
    for (let i = 0; i < parts.length - 1; i++) {
      const p = parts[i]!;
      if (!isPlainObject(cur[p])) cur[p] = {};
      cur = cur[p] as Params;
    }
    cur[parts[parts.length - 1]!] = structuredClone(getKey(params, key));
  }
  return out;
}

/**
 * Wraps the picked params so that reading a key the stage did not declare throws, rather
 * than silently reading a value that is not part of the stage's key.
 */
export function guardParams<T extends object>(picked: T, stageId: string, declared: string[], prefix = ''): T {
  return new Proxy(picked, {
    get(target, prop, receiver) {
      if (typeof prop === 'symbol' || prop === 'then' || prop === 'toJSON') return Reflect.get(target, prop, receiver);
      const path = prefix ? `${prefix}.${prop}` : prop;
      if (!Object.prototype.hasOwnProperty.call(target, prop)) {
        throw new InputError(
          `stage ${stageId} read param '${path}', which it does not declare`,
          `add '${path}' to the params of ${stageId} in pipeline.ts (declared: ${declared.join(', ') || 'none'})`,
        );
      }
      const v = Reflect.get(target, prop, receiver);
      // A declared key's whole value is readable; only the parents of declared keys are guarded.
      if (isPlainObject(v) && !declared.includes(path)) return guardParams(v, stageId, declared, path);
      return v;
    },
  });
}
