// Generates schemas/types/<name>.ts from schemas/<name>.schema.json with json-schema-to-typescript.
// `npm run gen:types` writes them; `--check` exits 1 (naming the files) when any is stale.
import { readdirSync, readFileSync, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

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

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const [file, ts] of await generatedTypes()) {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : null;
    if (current === ts) continue;
    if (check) stale.push(file);
    else {
      mkdirSync(typesDir, { recursive: true });
      writeFileSync(file, ts);
      console.log(`wrote ${file}`);
    }
  }
  if (stale.length) {
    console.error(`stale generated types: ${stale.join(', ')}\n  fix: npm run gen:types`);
    process.exit(1);
  }
}
