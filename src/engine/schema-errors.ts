// Ajv's errors as one line a person can act on. Ajv reports a value that matches no branch
// of a oneOf/anyOf with every branch's complaints plus the verdict: `run: { command }` gave
// five messages, two of them contradicting each other. Here such a failure reads as the
// errors of the one branch the value was meant for (the only one of its type and fixed
// properties, or the only one whose keys it has), or else as the shapes allowed beside the
// one given. The same message at many array items (a matrix stage repeating one mistake) is
// said once, with the paths.
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { nearest } from './suggest.ts';

type Schema = Record<string, unknown>;
/** Compiles a schema (with the document's $defs) as the document's validator was compiled, verbose errors included. */
export type Compile = (schema: Schema) => ValidateFunction;

const COMPOSITE = new Set(['oneOf', 'anyOf']);
/** Keywords that say a value is not of a branch's kind at all. */
const KIND = new Set(['type', 'const', 'enum']);
/** Paths listed before "and N more". */
const PATHS_SHOWN = 3;

/**
 * `errors` of validating `data` against the schema document `root`, as one line. The errors
 * must be verbose (Ajv's `verbose` option), which gives each composite its branches.
 */
export function describeSchemaErrors(errors: readonly ErrorObject[], root: Schema, data: unknown, compile: Compile): string {
  const groups = new Map<string, string[]>();
  for (const { at, message } of mergeMissing(explain(errors, { root, compile }, data, ''))) {
    const paths = groups.get(message) ?? [];
    if (!paths.includes(at)) paths.push(at);
    groups.set(message, paths);
  }
  return [...groups]
    .map(([message, paths]) => {
      const shown = paths.slice(0, PATHS_SHOWN).map(dotted).join(', ');
      const more = paths.length > PATHS_SHOWN ? ` and ${paths.length - PATHS_SHOWN} more` : '';
      return `${shown}${more}: ${message}`;
    })
    .join('; ');
}

const MISSING = /^must have required property '(.*)'$/;

/** The missing properties of one value as one message: "must have required properties 'a', 'b'". */
function mergeMissing(explained: Explained[]): Explained[] {
  const missing = new Map<string, string[]>();
  for (const { at, message } of explained) {
    const key = MISSING.exec(message)?.[1];
    if (key !== undefined) missing.set(at, [...(missing.get(at) ?? []), key]);
  }
  const out: Explained[] = [];
  for (const e of explained) {
    const keys = MISSING.test(e.message) ? missing.get(e.at) : undefined;
    if (keys === undefined) out.push(e);
    else if (keys.length > 0) {
      out.push({ at: e.at, message: keys.length === 1 ? e.message : `must have required properties ${keys.map((k) => `'${k}'`).join(', ')}` });
      missing.set(e.at, []);
    }
  }
  return out;
}

interface Document {
  root: Schema;
  compile: Compile;
}

interface Explained {
  /** JSON pointer of the value, from the top of the data. */
  at: string;
  message: string;
}

/** `errors` of `data`, which sits at `prefix` in the whole. */
function explain(errors: readonly ErrorObject[], doc: Document, data: unknown, prefix: string): Explained[] {
  // Ajv reports a failed composite after its branches' errors, as one run of errors within
  // its value (an outer composite after the inner ones of its branches: the last claims first).
  const claimed = new Set<number>();
  const parts: { index: number; explained: Explained[] }[] = [];
  for (let k = errors.length - 1; k >= 0; k--) {
    const composite = errors[k]!;
    if (claimed.has(k) || !COMPOSITE.has(composite.keyword) || !Array.isArray(composite.schema)) continue;
    let start = k;
    while (start > 0 && !claimed.has(start - 1) && belongsTo(errors[start - 1]!, composite)) start--;
    for (let i = start; i <= k; i++) claimed.add(i);
    parts.push({ index: start, explained: explainComposite(composite, doc, data, prefix) ?? errors.slice(start, k + 1).map((e) => explainOne(e, prefix)) });
  }
  errors.forEach((e, i) => {
    if (!claimed.has(i)) parts.push({ index: i, explained: [explainOne(e, prefix)] });
  });
  return parts.sort((a, b) => a.index - b.index).flatMap((p) => p.explained);
}

/** Whether an error reported just before a composite's came from its branches (not from a sibling keyword of the same schema). */
function belongsTo(e: ErrorObject, composite: ErrorObject): boolean {
  return isWithin(e.instancePath, composite.instancePath) && e.parentSchema !== composite.parentSchema;
}

function explainOne(e: ErrorObject, prefix: string): Explained {
  let extra = '';
  if (e.keyword === 'additionalProperties') {
    const key = (e.params as { additionalProperty: string }).additionalProperty;
    const known = isObject(e.parentSchema?.['properties']) ? Object.keys(e.parentSchema['properties']) : [];
    const near = nearest(key, known);
    extra = ` '${key}'${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}`;
  } else if (e.keyword === 'enum') extra = `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  return { at: prefix + e.instancePath, message: `${e.message}${extra}` };
}

/** The composite's failure as the branch meant or the shapes allowed; null where a branch cannot be validated alone (Ajv's own errors then). */
function explainComposite(composite: ErrorObject, doc: Document, data: unknown, prefix: string): Explained[] | null {
  const at = prefix + composite.instancePath;
  const value = valueAt(data, composite.instancePath);
  const branches = composite.schema as Schema[];
  // Each branch on its own, so that its errors are its alone.
  let errorsOf: ErrorObject[][];
  try {
    errorsOf = branches.map((branch) => validate(doc, branch, value));
  } catch {
    return null; // a $ref outside the document, say
  }
  const fits = errorsOf.map((errors, i) => (errors.length === 0 ? i : -1)).filter((i) => i >= 0);
  const shapes = () => branches.map((b) => shapeOf(resolve(doc.root, b), doc.root)).join(' or ');
  if (fits.length > 1) return [{ at, message: `must match exactly one of ${shapes()}, and matches ${fits.length}` }];
  const ofItsKind = branches
    .map((_, i) => i)
    .filter((i) => !errorsOf[i]!.some((e) => e.instancePath === '' && KIND.has(e.keyword)) && !fixesOtherValues(resolve(doc.root, branches[i]!), value));
  const withItsKeys = ofItsKind.filter((i) => errorsOf[i]!.every((e) => e.instancePath !== ''));
  const meant = ofItsKind.length === 1 ? ofItsKind[0]! : withItsKeys.length === 1 ? withItsKeys[0]! : -1;
  if (meant >= 0 && errorsOf[meant]!.length > 0) return explain(errorsOf[meant]!, doc, value, at);
  return [{ at, message: `must be ${shapes()}, not ${describeValue(value)}` }];
}

/** `value`'s verbose errors against one branch of the document, relative to the value. */
function validate(doc: Document, branch: Schema, value: unknown): ErrorObject[] {
  const check = doc.compile({ ...branch, $defs: doc.root['$defs'] ?? {} });
  return check(value) ? [] : [...(check.errors ?? [])];
}

/** Whether a branch fixes a property to a constant that the value's property is not (a discriminated union's other members). */
function fixesOtherValues(branch: Schema, value: unknown): boolean {
  if (!isObject(value) || !isObject(branch['properties'])) return false;
  return Object.entries(branch['properties'] as Record<string, Schema>).some(
    ([key, property]) => isObject(property) && 'const' in property && key in value && JSON.stringify(value[key]) !== JSON.stringify(property['const']),
  );
}

/** A short picture of what a schema accepts: `{ module, export? }`, `a string`, `"exact"`. */
function shapeOf(schema: Schema, root: Schema): string {
  if ('const' in schema) return JSON.stringify(schema['const']);
  if (Array.isArray(schema['enum'])) return schema['enum'].map((v) => JSON.stringify(v)).join(' or ');
  const type = schema['type'];
  if (type === 'object' || isObject(schema['properties'])) {
    const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
    const required = new Set((schema['required'] ?? []) as string[]);
    const keys = Object.entries(properties).map(([key, property]) => {
      const p = resolve(root, property);
      const fixed = 'const' in p ? `: ${JSON.stringify(p['const'])}` : '';
      return `${key}${required.has(key) ? '' : '?'}${fixed}`;
    });
    return keys.length === 0 ? 'an object' : `{ ${keys.join(', ')} }`;
  }
  if (typeof type === 'string') return type === 'null' ? 'null' : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
  return typeof schema['title'] === 'string' ? schema['title'] : 'another shape';
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (isObject(value)) {
    const keys = Object.keys(value);
    return keys.length === 0 ? '{}' : `{ ${keys.join(', ')} }`;
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** A schema with its local $refs followed to the end. */
function resolve(root: Schema, schema: Schema): Schema {
  let s = schema;
  for (let hops = 0; hops < 16 && typeof s['$ref'] === 'string' && s['$ref'].startsWith('#'); hops++) {
    const target = valueAt(root, s['$ref'].slice(1));
    if (!isObject(target)) break;
    s = target;
  }
  return s;
}

/** The value at a JSON pointer ('' is the whole); undefined where it leads nowhere. */
function valueAt(doc: unknown, pointer: string): unknown {
  let at: unknown = doc;
  for (const part of pointer.split('/').slice(1)) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return at;
}

function isWithin(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

function dotted(pointer: string): string {
  return pointer ? pointer.slice(1).replace(/\//g, '.') : '(top level)';
}

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}
