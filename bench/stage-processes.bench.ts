// Stage start-up: the study's ci profile re-executed from scratch (`repro --profile ci
// verify`, every stage run in a fresh workspace and compared with the committed lock
// records) with the local executor's pool of stage processes, against the same with a fresh
// process per stage (--fresh-processes), alternated in the same run. A fresh process spends
// ~1.2 s on tsx, tfjs and the study's modules before a stage starts; a tournament shard's
// matches take ~0.3 s.
// Usage: npm run bench:processes [-- --reps 2 --profile ci]
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(REPO, 'bin', 'repro.js');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}
const REPS = Number(arg('reps', '2'));
const PROFILE = arg('profile', 'ci');
if (!Number.isInteger(REPS) || REPS < 1) throw new Error(`bench:processes: --reps takes a positive integer, got '${arg('reps', '')}'`);

/** Seconds for one verify; throws if an output did not reproduce. */
function verify(extra: string[]): number {
  const t0 = performance.now();
  // Its progress lines (stderr) are not this bench's output.
  const out = execFileSync(process.execPath, [BIN, '--profile', PROFILE, 'verify', ...extra], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true' },
  });
  const seconds = (performance.now() - t0) / 1000;
  const verdict = out.trim().split('\n').at(-1)!;
  if (!verdict.startsWith('verified')) throw new Error(`bench:processes: verify ${extra.join(' ')} did not reproduce: ${verdict}`);
  return seconds;
}

const pooled: number[] = [];
const fresh: number[] = [];
for (let rep = 0; rep < REPS; rep++) {
  fresh.push(verify(['--fresh-processes']));
  pooled.push(verify([]));
  console.log(`rep ${rep + 1}: fresh processes ${fresh.at(-1)!.toFixed(1)} s, pooled ${pooled.at(-1)!.toFixed(1)} s`);
}
const best = (xs: number[]) => Math.min(...xs);
console.log(
  `\nprofile ${PROFILE}, every stage re-executed (best of ${REPS}): fresh processes ${best(fresh).toFixed(1)} s, pooled ${best(pooled).toFixed(1)} s, ` +
    `speed-up ${(best(fresh) / best(pooled)).toFixed(2)}x`,
);
