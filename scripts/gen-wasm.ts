// Compiles the AssemblyScript modules under src/az/assembly/ with asc into src/az/<name>.wasm.ts,
// each exporting its binary as base64. The binary travels as a TypeScript module so that it
// is part of the code the engine hashes for a stage, and loads without the file system.
// `npm run gen:wasm` writes them; `--check` exits 1 (naming the files) when any is stale.
import { readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMain, writeOrCheck } from './generated-files.ts';

// Loaded by a name the type checker does not follow: asc's declarations bring
// AssemblyScript's own globals (console, WebAssembly), which clash with Node's.
const ASC: string = 'assemblyscript/asc';
interface Asc {
  main(argv: string[], options: { writeFile(name: string, contents: Uint8Array | string): void }): Promise<{ error: Error | null; stderr: { toString(): string } }>;
}
const asc = ((await import(ASC)) as { default: Asc }).default;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'src', 'az', 'assembly');
const outDir = join(root, 'src', 'az');

/**
 * Flags for every module: no garbage collector (modules allocate once per configuration), no
 * bounds checks where the source says unchecked, SIMD (Node has had it on since 16.4).
 */
const FLAGS = ['-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd'];
/** Per module, on top: a module that works on another module's memory imports it. */
const MODULE_FLAGS: Record<string, string[]> = { 'heap-kernels.ts': ['--importMemory'] };

export async function generatedWasm(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const file of readdirSync(sourceDir).filter((f) => f.endsWith('.ts')).sort()) {
    let binary: Uint8Array | null = null;
    const flags = [...FLAGS, ...(MODULE_FLAGS[file] ?? [])];
    const { error, stderr } = await asc.main([join(sourceDir, file), ...flags, '--outFile', 'out.wasm'], {
      writeFile(name: string, contents: Uint8Array | string) {
        if (name.endsWith('.wasm')) binary = contents as Uint8Array;
      },
    });
    if (error) throw new Error(`gen:wasm: ${file} does not compile:\n${stderr.toString()}`);
    if (binary === null) throw new Error(`gen:wasm: asc wrote no binary for ${file}`);
    const name = file.replace(/\.ts$/, '');
    const ts =
      `/* Generated from src/az/assembly/${file} by \`npm run gen:wasm\` (AssemblyScript ${flags.join(' ')}). Do not edit. */\n` +
      `export const WASM_BASE64 =\n  '${Buffer.from(binary).toString('base64')}';\n`;
    out.set(join(outDir, `${name}.wasm.ts`), ts);
  }
  return out;
}

if (isMain(import.meta.url)) writeOrCheck(await generatedWasm(), 'generated wasm', 'npm run gen:wasm');
