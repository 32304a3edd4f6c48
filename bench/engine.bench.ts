// Engine benchmark: a generated pipeline of 1,000 stages over 10,000 small dep files and one
// 1 GiB file. Prints no-op status and run times, first-time hashing throughput against
// sha256sum on the same file in the same run, and re-status after touching one file; and
// status on the study's own pipeline in this checkout, whose declaration loads more code.
// The workspace is built once (a real `repro run`, a few minutes) under bench/.work and reused.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, openSync, writeSync, closeSync, utimesSync, rmSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashFile } from '../src/engine/hash.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WORK = process.env.REPRO_BENCH_DIR ?? join(REPO, 'bench', '.work', 'engine');
const BIN = join(REPO, 'bin', 'repro.js');
const STAGES = 1000;
const FILES = 10_000;
const BIG_BYTES = Number(process.env.REPRO_BENCH_BIG_MB ?? 1024) * 1024 * 1024;

function setup(): void {
  mkdirSync(join(WORK, 'data'), { recursive: true });
  for (let i = 0; i < FILES; i++) {
    const f = join(WORK, 'data', `f${String(i).padStart(5, '0')}.txt`);
    if (!existsSync(f)) writeFileSync(f, `file ${i}\n`);
  }
  const big = join(WORK, 'data', 'big.bin');
  if (!existsSync(big)) {
    const fd = openSync(big, 'w');
    const block = Buffer.alloc(16 * 1024 * 1024);
    for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((i * 2654435761) >>> 0, i);
    for (let written = 0; written < BIG_BYTES; written += block.length) writeSync(fd, block, 0, Math.min(block.length, BIG_BYTES - written));
    closeSync(fd);
  }
  // Chains of ten stages; each stage reads ten small files and its predecessor's output;
  // the first stage of every chain also reads the big file.
  writeFileSync(
    join(WORK, 'pipeline.ts'),
    `import { definePipeline } from '${join(REPO, 'src/engine/index.ts')}';
const f = (i: number) => 'data/f' + String(i).padStart(5, '0') + '.txt';
export default definePipeline(() => ({
  stages: Array.from({ length: ${STAGES} }, (_, i) => ({
    id: 's@' + i,
    run: { shell: 'cat "$REPRO_DEP_0" > "$REPRO_OUT_0"' },
    deps: [...Array.from({ length: ${FILES / STAGES} }, (_, k) => f(i * ${FILES / STAGES} + k)), ...(i % 10 ? ['out/' + (i - 1) + '.txt'] : ['data/big.bin'])],
    params: ['n'],
    outs: ['out/' + i + '.txt'],
  })),
}));
`,
  );
  writeFileSync(join(WORK, 'params.json'), JSON.stringify({ n: 1 }));
  writeFileSync(join(WORK, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
}

function repro(args: string[], cwd = WORK): { ms: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' }, maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`repro ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return { ms, out: r.stdout + r.stderr };
}

function best(n: number, f: () => number): number {
  return Math.min(...Array.from({ length: n }, f));
}

setup();
const status0 = repro(['status']);
if (!/1000 fresh/.test(status0.out)) {
  console.log('building the workspace: a real run of 1,000 stages (once; reused afterwards)…');
  const r = repro(['run', '--jobs', '2']);
  console.log(`  built in ${(r.ms / 1000).toFixed(0)} s`);
}

// First-time hashing of the 1 GiB file, page cache warm for both contenders.
const big = join(WORK, 'data', 'big.bin');
execFileSync('cat', [big], { stdio: ['ignore', 'ignore', 'ignore'] });
const shaMs = best(3, () => {
  const t0 = performance.now();
  execFileSync('sha256sum', [big], { stdio: ['ignore', 'ignore', 'ignore'] });
  return performance.now() - t0;
});
const oursMs = best(3, () => {
  const t0 = performance.now();
  hashFile(big);
  return performance.now() - t0;
});
const mb = BIG_BYTES / 1024 / 1024;

// Steady state: run status once so the stat cache holds every file, then time.
repro(['status']);
const nodeMs = best(3, () => {
  const t0 = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - t0;
});
const statusMs = best(5, () => repro(['status']).ms);
repro(['status'], REPO);
const studyStatusMs = best(5, () => repro(['status'], REPO).ms);
const runMs = best(3, () => {
  const r = repro(['run']);
  if (!/ran 0, restored 0, fresh 1000/.test(r.out)) throw new Error(`no-op run was not a no-op:\n${r.out.slice(-500)}`);
  return r.ms;
});
const touched = join(WORK, 'data', 'f04242.txt');
const touchMs = best(5, () => {
  const now = new Date();
  utimesSync(touched, now, now);
  return repro(['status']).ms;
});
// Let the touched file age past the racy window so later runs of this benchmark start clean.
const old = new Date(Date.now() - 60_000);
utimesSync(touched, old, old);
repro(['status']);
rmSync(join(WORK, '.repro', 'run.lock'), { force: true });

const row = (name: string, value: string, target: string) => console.log(`${name.padEnd(44)} ${value.padStart(18)}   ${target}`);
console.log(`\nrepro engine benchmark: ${STAGES} stages, ${FILES} dep files, one ${mb} MiB file (best of several runs)`);
row('node startup alone (baseline)', `${nodeMs.toFixed(0)} ms`, '');
row('no-op repro status', `${statusMs.toFixed(0)} ms`, `target < 1000 ms  ${statusMs < 1000 ? 'ok' : 'MISSED'}`);
row('no-op repro run', `${runMs.toFixed(0)} ms`, '');
row("repro status, the study's pipeline", `${studyStatusMs.toFixed(0)} ms`, `${(studyStatusMs / nodeMs).toFixed(1)}x node startup`);
row('re-status after touching one file', `${touchMs.toFixed(0)} ms`, `${((touchMs / statusMs - 1) * 100).toFixed(1)}% over no-op; target ≤ 20%  ${touchMs <= statusMs * 1.2 ? 'ok' : 'MISSED'}`);
row('sha256sum throughput (baseline)', `${(mb / (shaMs / 1000)).toFixed(0)} MiB/s`, '');
row('repro first-time hashing throughput', `${(mb / (oursMs / 1000)).toFixed(0)} MiB/s`, `ratio ${(shaMs / oursMs).toFixed(2)} of sha256sum; target ≥ 0.70  ${shaMs / oursMs >= 0.7 ? 'ok' : 'MISSED'}`);
