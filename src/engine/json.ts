// JSON the engine and its stages read and write: canonical text for keys, schema-validated
// artifacts with one clear message per problem, and atomic writes (temp file + rename).
import { readFileSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { dirname, basename, join, relative } from 'node:path';
import { Ajv2020, type ValidateFunction, type ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { InputError } from './errors.ts';

/** Sorted-key JSON with no whitespace: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** Pretty, sorted-key JSON with a trailing newline: for files people diff and merge. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + '\n';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** Writes a file so that readers see the old or the new content, never half of it. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const compiled = new Map<string, ValidateFunction>();

function validatorFor(schemaFile: string): ValidateFunction {
  let v = compiled.get(schemaFile);
  if (!v) {
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
    delete schema.$id; // one schema file may be compiled under several roots in tests
    v = ajv.compile(schema);
    compiled.set(schemaFile, v);
  }
  return v;
}

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => {
      const at = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '(top level)';
      const extra =
        e.keyword === 'additionalProperties'
          ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'`
          : e.keyword === 'enum'
            ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`
            : '';
      return `${at}: ${e.message}${extra}`;
    })
    .join('; ');
}

/** Throws an InputError naming the file, the JSON path and the schema when data does not match. */
export function assertValid<T>(schemaFile: string, data: unknown, where: string): T {
  const v = validatorFor(schemaFile);
  if (!v(data)) {
    throw new InputError(
      `${where}: ${describe(v.errors)} (schema ${relative(process.cwd(), schemaFile) || schemaFile})`,
      `fix the value(s) named above so that ${where} matches its schema`,
    );
  }
  return data as T;
}

export function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code})`, 'check that the file exists');
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not valid JSON (${(e as Error).message})`, 'repair or delete the file');
  }
}

/** Reads a JSON file and validates it against a schema file. */
export function readJsonValidated<T>(schemaFile: string, file: string): T {
  return assertValid<T>(schemaFile, readJson(file), file);
}

/** Validates then writes a JSON artifact atomically (pretty, stable key order). */
export function writeJsonValidated<T>(schemaFile: string, file: string, data: T): void {
  assertValid(schemaFile, data, file);
  writeFileAtomic(file, stableJson(data));
}
