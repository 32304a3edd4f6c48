// What gen:types and gen:wasm share: write the generated files that changed, or with
// `--check` name the stale ones and exit 1.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Whether the module at `moduleUrl` is the script node was started with. */
export function isMain(moduleUrl: string): boolean {
  return Boolean(process.argv[1]) && fileURLToPath(moduleUrl) === process.argv[1];
}

/** Writes each file of `generated` (path → text) whose text differs; under --check, reports them and exits 1 instead. */
export function writeOrCheck(generated: Map<string, string>, what: string, command: string): void {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const [file, text] of generated) {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : null;
    if (current === text) continue;
    if (check) stale.push(file);
    else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      console.log(`wrote ${file}`);
    }
  }
  if (stale.length) {
    console.error(`stale ${what}: ${stale.join(', ')}\n  fix: ${command}`);
    process.exit(1);
  }
}
