// Throw-away pipelines in temp directories, and ways to drive the CLI on them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { main } from '../../src/engine/cli/main.ts';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ENGINE = join(REPO, 'src', 'engine', 'index.ts');
const BIN = join(REPO, 'bin', 'repro.js');

/** A stage module every test pipeline can use: records each execution, then does its job. */
export const TEST_STAGES = `
import { appendFileSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StageContext } from '${ENGINE}';

function note(ctx: StageContext, what: string) {
  appendFileSync(join(ctx.root, 'executed.log'), JSON.stringify({ id: ctx.id, what, t: Date.now() }) + '\\n');
}

/** Concatenates its deps and its params into each output. */
export async function run(ctx: StageContext) {
  note(ctx, 'start');
  const parts = ctx.deps.map((d) => readFileSync(d, 'utf8'));
  const body = JSON.stringify({ deps: parts, params: ctx.params, args: ctx.args, seed: ctx.seed });
  if (ctx.args.sleepMs) await new Promise((r) => setTimeout(r, Number(ctx.args.sleepMs)));
  if (ctx.args.waitFor) while (!existsSync(join(ctx.root, String(ctx.args.waitFor)))) await new Promise((r) => setTimeout(r, 20));
  if (ctx.args.fail) throw new Error('asked to fail');
  for (const o of ctx.outs) writeFileSync(o, body);
  note(ctx, 'end');
}

/** Writes a constant, whatever its inputs: for early cutoff. */
export async function constant(ctx: StageContext) {
  note(ctx, 'start');
  for (const o of ctx.outs) writeFileSync(o, 'constant\\n');
  note(ctx, 'end');
}

/** Writes the checkout facts the engine handed it. */
export async function provenance(ctx: StageContext) {
  note(ctx, 'start');
  writeFileSync(ctx.outs[0]!, JSON.stringify(ctx.git));
}

/** Reads a param it did not declare. */
export async function sneaky(ctx: StageContext) {
  note(ctx, 'start');
  writeFileSync(ctx.outs[0]!, String((ctx.params as any).b.y));
}
`;

export interface Fixture {
  dir: string;
  write(path: string, content: string): void;
  read(path: string): string;
  exists(path: string): boolean;
  /** Ids of the stages whose code started since the last call. */
  executed(): string[];
  events(): { id: string; what: string; t: number }[];
  cleanup(): void;
}

export function makePipeline(files: Record<string, string>): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'repro-test-'));
  const write = (p: string, c: string) => {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), c);
  };
  write('stages/t.ts', TEST_STAGES);
  write('package.json', JSON.stringify({ private: true, type: 'module' }));
  for (const [p, c] of Object.entries(files)) write(p, c);
  let seen = 0;
  const events = () =>
    existsSync(join(dir, 'executed.log'))
      ? readFileSync(join(dir, 'executed.log'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
      : [];
  return {
    dir,
    write,
    read: (p) => readFileSync(join(dir, p), 'utf8'),
    exists: (p) => existsSync(join(dir, p)),
    executed() {
      const all = events().filter((e) => e.what === 'start');
      const fresh = all.slice(seen).map((e) => e.id);
      seen = all.length;
      return fresh.sort();
    },
    events,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A pipeline.ts over the given stage declarations (as TypeScript source of an array). */
export function pipelineSource(stages: string): string {
  return `import { definePipeline, matrix } from '${ENGINE}';\nexport default definePipeline((params: any) => ({ stages: ${stages} }));\n`;
}

/** Runs git in `dir` with a throw-away committer; returns what it printed. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: dir, encoding: 'utf8' });
}

/** Runs the CLI in this process. */
export async function repro(dir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['--root', dir, ...args], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Polls `cond` every `everyMs` until it holds; throws, naming `what`, after `ms`. */
export async function waitUntil(cond: () => boolean | Promise<boolean>, what: string, { ms = 60_000, everyMs = 25 } = {}): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Runs the real `repro` binary as a separate process. */
export function reproProcess(dir: string, args: string[]): ResultPromise<{ reject: false; cwd: string; all: true }> {
  return execa(process.execPath, [BIN, ...args], { cwd: dir, reject: false, all: true, env: { CI: 'true' } });
}
