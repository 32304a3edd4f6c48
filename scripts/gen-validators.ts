// Generates schemas/validators/<name>.cjs from schemas/<name>.schema.json: ajv's standalone
// validation code, with the ajv options src/engine/json.ts compiles with. Compiling the
// params schema alone took ~60 ms of every command; loading its compiled code takes ~1.
// Each file carries its schema's SHA-256, and json.ts compiles the schema instead when they
// differ (a schema edited without `npm run gen:types`). `--check` names stale files, exits 1.
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, _, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { AJV_OPTIONS, schemaSha256, validatorFile } from '../src/engine/json.ts';
import { isMain, writeOrCheck } from './generated-files.ts';

const schemaDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas');
/** What the generated code requires for ajv-formats' formats (none of the schemas uses one yet). */
const standaloneFormats = _`require("ajv-formats/dist/formats").fullFormats`;
// A CommonJS module whose default export TypeScript sees one level down, as json.ts sees ajv-formats'.
const standaloneCode = (standaloneModule as unknown as { default: (ajv: Ajv2020, validate: ValidateFunction) => string }).default;

export function generatedValidators(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json')).sort()) {
    const text = readFileSync(join(schemaDir, file), 'utf8');
    // One instance per schema: the code of one validator holds nothing of another's.
    const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { source: true, formats: standaloneFormats } });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    const schema = JSON.parse(text);
    delete schema.$id;
    const code = standaloneCode(ajv, ajv.compile(schema));
    out.set(
      validatorFile(join(schemaDir, file)),
      `// Generated from schemas/${file} by \`npm run gen:types\` (ajv standalone). Do not edit.\n${code}\nmodule.exports.schemaSha256 = ${JSON.stringify(schemaSha256(text))};\n`,
    );
  }
  return out;
}

if (isMain(import.meta.url)) writeOrCheck(generatedValidators(), 'generated validators', 'npm run gen:types');
