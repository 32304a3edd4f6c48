// Child-process entry for shell stages. Plain JavaScript on purpose: a shell stage should
// not pay for the TypeScript loader (about 0.2 s of CPU per stage, which dominates a
// pipeline of many small stages). Like runner.ts, it dies with its scheduler: when the
// IPC channel closes, the command is killed.
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const env = {
  ...process.env,
  REPRO_STAGE_ID: job.id,
  REPRO_SEED: String(job.seed ?? 0),
  REPRO_PARAMS: JSON.stringify(job.params),
  REPRO_WORK_DIR: job.workDir,
  // The GPUs the scheduler gave the stage (job.ts), where it places them.
  ...(job.gpuDevices ? { CUDA_VISIBLE_DEVICES: job.gpuDevices.join(',') } : {}),
};
job.outs.forEach(([, abs], i) => (env[`REPRO_OUT_${i}`] = abs));
job.deps.forEach(([, abs], i) => (env[`REPRO_DEP_${i}`] = abs));

const child = spawn('/bin/sh', ['-c', job.run.shell], { cwd: job.root, env, stdio: ['ignore', 'inherit', 'inherit'] });
let finished = false;
process.on('disconnect', () => {
  if (!finished) {
    child.kill('SIGKILL');
    process.exit(137);
  }
});
child.on('error', (e) => {
  console.error(`could not start the shell: ${e.message}`);
  finished = true;
  process.exitCode = 1;
  process.disconnect?.();
});
child.on('exit', (code, signal) => {
  finished = true;
  if (code !== 0) console.error(`shell command exited with ${code ?? signal}`);
  process.exitCode = code === 0 ? 0 : 1;
  process.disconnect?.();
});
