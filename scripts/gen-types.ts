// Generates schemas/types/<name>.ts from schemas/<name>.schema.json with json-schema-to-typescript,
// and the validators of gen-validators.ts.
// `npm run gen:types` writes them; `--check` exits 1 (naming the files) when any is stale.
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';
import { isMain, writeOrCheck } from './generated-files.ts';
import { generatedValidators } from './gen-validators.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaDir = join(root, 'schemas');
const typesDir = join(schemaDir, 'types');

const BANNER = '/* Generated from schemas/%s by `npm run gen:types` (json-schema-to-typescript). Do not edit. */';

export async function generatedTypes(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const file of readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json')).sort()) {
    const schema = JSON.parse(readFileSync(join(schemaDir, file), 'utf8'));
    const ts = await compile(schema, schema.title ?? file, {
      bannerComment: BANNER.replace('%s', file),
      additionalProperties: false,
      unreachableDefinitions: true,
      ignoreMinAndMaxItems: true,
      style: { singleQuote: true, printWidth: 120 },
      cwd: schemaDir,
    });
    out.set(join(typesDir, file.replace('.schema.json', '.ts')), ts);
  }
  return out;
}

if (isMain(import.meta.url)) {
  writeOrCheck(await generatedTypes(), 'generated types', 'npm run gen:types');
  writeOrCheck(generatedValidators(), 'generated validators', 'npm run gen:types');
}
