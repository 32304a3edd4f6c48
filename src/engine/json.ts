// JSON the engine and its stages read and write: canonical text for keys, schema-validated
// artifacts with one clear message per problem, and atomic writes (temp file + rename).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, basename, join, relative } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { InputError } from './errors.ts';
import { describeSchemaErrors } from './schema-errors.ts';

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

const requireHere = createRequire(import.meta.url);
/**
 * How schemas compile, here and in the validators `npm run gen:types` writes (scripts/gen-validators.ts).
 * Verbose: a failed oneOf/anyOf then carries its branches, which the message needs (schema-errors.ts).
 */
export const AJV_OPTIONS = { allErrors: true, strict: false, verbose: true } as const;
const ajv = new Ajv2020(AJV_OPTIONS);
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const compiled = new Map<string, ValidateFunction>();

function validatorFor(schemaFile: string): ValidateFunction {
  let v = compiled.get(schemaFile);
  if (!v) {
    const text = readFileSync(schemaFile, 'utf8');
    v = precompiledValidator(schemaFile, text) ?? undefined;
    if (!v) {
      const schema = JSON.parse(text);
      delete schema.$id; // one schema file may be compiled under several roots in tests
      v = ajv.compile(schema);
    }
    compiled.set(schemaFile, v);
  }
  return v;
}

/**
 * The schema's validator as `npm run gen:types` compiled it (schemas/validators/), if it was
 * compiled from this very text: compiling the params schema took ~60 ms of every command.
 */
function precompiledValidator(schemaFile: string, text: string): ValidateFunction | null {
  const file = validatorFile(schemaFile);
  if (!existsSync(file)) return null;
  let validate: ValidateFunction & { schemaSha256?: string };
  try {
    validate = requireHere(file) as typeof validate;
  } catch {
    return null; // a damaged file is a cache miss: the schema itself is the truth
  }
  return typeof validate === 'function' && validate.schemaSha256 === schemaSha256(text) ? validate : null;
}

/** Where `npm run gen:types` writes a schema file's compiled validator: validators/<name>.cjs beside it. */
export function validatorFile(schemaFile: string): string {
  return join(dirname(schemaFile), 'validators', basename(schemaFile).replace(/\.schema\.json$/, '.cjs'));
}

/** The schema text's SHA-256, which a compiled validator carries to say what it was compiled from. */
export function schemaSha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Throws an InputError naming the file, the JSON path and the schema when data does not match. */
export function assertValid<T>(schemaFile: string, data: unknown, where: string): T {
  const v = validatorFor(schemaFile);
  if (!v(data)) {
    throw new InputError(
      `${where}: ${describeSchemaErrors(v.errors ?? [], JSON.parse(readFileSync(schemaFile, 'utf8')), data, (schema) => ajv.compile(schema))} (schema ${relative(process.cwd(), schemaFile) || schemaFile})`,
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
