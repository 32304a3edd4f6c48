// The Slurm executor against a real single-node Slurm cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadProject } from '../../src/engine/project.ts';
import { compareOutput, prepareFreshWorkspace } from '../../src/engine/verify.ts';
import { readLock } from '../../src/engine/lock.ts';
import { join } from 'node:path';
import { clusterUnavailable, startCluster, type Cluster } from './slurm-cluster.ts';
import { makePipeline, pipelineSource, repro, reproProcess, REPO, waitUntil, type Fixture } from './helpers.ts';

const why = clusterUnavailable();
if (why) console.log(`skipping the Slurm tests: ${why}`);

let cluster: Cluster;
beforeAll(async () => {
  if (why) return;
  cluster = await startCluster();
  Object.assign(process.env, cluster.env);
}, 120_000);
afterAll(() => cluster?.stop());

const PARAMS = JSON.stringify({ executor: { slurm: { pollSeconds: 0.3 } }, k: 1 });
const slurm = (...args: string[]) => execFileSync(args[0]!, args.slice(1), { encoding: 'utf8' });
const jobInfo = (id: string) => slurm('scontrol', 'show', 'job', '-o', id);
/** The cluster's state changes at its own pace: squeue and scontrol are asked every 200 ms. */
const SLURM_POLL = { everyMs: 200 };
const jobOf = async (f: Fixture, id: string) => {
  const st = JSON.parse((await repro(f.dir, 'status', '--json', id)).out);
  return st.stages.find((s: { id: string }) => s.id === id)?.job as { id: string; state: string } | undefined;
};

const CHAIN = `[
  { id: 'a', run: { module: 'stages/t.ts' }, params: ['k'], seed: 3, outs: ['out/a.txt'], resources: { cpus: 1, memoryMB: 200 } },
  { id: 'b', run: { shell: 'cat "$REPRO_DEP_0" "$REPRO_DEP_0" > "$REPRO_OUT_0"' }, deps: ['out/a.txt'], outs: ['out/b.txt'] },
  { id: 'c', run: { module: 'stages/t.ts' }, deps: ['out/b.txt', 'out/a.txt'], outs: ['out/c'] },
]`;

describe.skipIf(why)('Slurm executor', () => {
  it('runs a pipeline as sbatch jobs, with lock records identical to a local run', async () => {
    const local = makePipeline({ 'pipeline.ts': pipelineSource(CHAIN), 'params.json': PARAMS });
    const remote = makePipeline({ 'pipeline.ts': pipelineSource(CHAIN), 'params.json': PARAMS });
    try {
      expect((await repro(local.dir, 'run')).code).toBe(0);
      const r = await repro(remote.dir, 'run', '--executor', 'slurm');
      expect(r.code, r.err).toBe(0);
      expect(remote.executed()).toEqual(['a', 'c']);
      for (const id of ['a', 'b', 'c']) expect(remote.read(`lockfiles/${id}.json`)).toBe(local.read(`lockfiles/${id}.json`));
      const recs = readdirSync(join(remote.dir, '.repro/runs/a'));
      const rec = JSON.parse(readFileSync(join(remote.dir, '.repro/runs/a', recs[0]!), 'utf8'));
      // A stage that declares no GPU sees none in its job either (gpu-devices.test.ts checks the variable itself).
      expect(rec).toMatchObject({ executor: 'slurm', outcome: 'ran', jobId: expect.stringMatching(/^\d+$/), gpuDevices: [] });
      expect(jobInfo(rec.jobId)).toMatch(/JobState=COMPLETED/);
      // A second run has nothing to submit.
      expect((await repro(remote.dir, 'run', '--executor', 'slurm')).err).toContain('ran 0, restored 0, fresh 3');
    } finally {
      local.cleanup();
      remote.cleanup();
    }
  });

  it('runs the study\'s ci profile through Slurm to the committed lock records of a local run', async () => {
    const dir = await prepareFreshWorkspace(await loadProject(REPO, { profile: 'ci' }));
    try {
      const r = await repro(dir, '--profile', 'ci', 'run', '--executor', 'slurm');
      expect(r.code, r.err).toBe(0);
      const committed = readdirSync(join(REPO, 'lockfiles', 'ci')).sort();
      expect(readdirSync(join(dir, 'lockfiles', 'ci')).sort()).toEqual(committed);
      // Same keys, and every output the same as verify judges it: identical bytes, or for
      // outputs that also carry timings (solver-check), identical locked values.
      const project = await loadProject(dir, { profile: 'ci' });
      for (const s of project.stages) {
        const local = readLock(join(REPO, 'lockfiles', 'ci'), s.id)!;
        const remote = readLock(project.paths.locks, s.id)!;
        expect(remote.key, s.id).toBe(local.key);
        for (const o of s.outs) expect(compareOutput(s.id, o.path, o.verify ?? 'exact', local, remote), `${s.id} ${o.path}`).toMatchObject({ ok: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);

  it('reports a failing stage with its job id and log, and keeps going with independent stages', async () => {
    const f = makePipeline({
      'pipeline.ts': pipelineSource(`[
        { id: 'bad', run: { module: 'stages/t.ts' }, outs: ['out/bad.txt'], args: { fail: true } },
        { id: 'good', run: { module: 'stages/t.ts' }, outs: ['out/good.txt'] },
      ]`),
      'params.json': PARAMS,
    });
    try {
      const r = await repro(f.dir, 'run', '--executor', 'slurm', '--keep-going');
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/failed: bad: slurm job \d+ FAILED \(exit 1:0\): asked to fail \(log: .*\.repro\/logs\/bad\.log\)/);
      expect(f.read('.repro/logs/bad.log')).toContain('asked to fail');
      expect(f.exists('out/good.txt')).toBe(true);
    } finally {
      f.cleanup();
    }
  });

  it('maps resources onto the job, shows it in status, detects an scancel, and redoes the stage next run', async () => {
    const f = makePipeline({
      'pipeline.ts': pipelineSource(`[
        { id: 'first', run: { module: 'stages/t.ts' }, outs: ['out/first.txt'] },
        { id: 'long', run: { module: 'stages/t.ts' }, deps: ['out/first.txt'], outs: ['out/long.txt'], args: { waitFor: 'go' }, resources: { cpus: 2, memoryMB: 300, timeMinutes: 7 } },
      ]`),
      'params.json': PARAMS,
    });
    try {
      const proc = reproProcess(f.dir, ['run', '--executor', 'slurm']);
      let job: { id: string; state: string } | undefined;
      await waitUntil(async () => (job = await jobOf(f, 'long'))?.state === 'RUNNING', 'the long stage to run on the cluster', SLURM_POLL);
      const info = jobInfo(job!.id);
      expect(info).toMatch(/NumCPUs=2\b/);
      expect(info).toMatch(/MinMemoryNode=300M/);
      expect(info).toMatch(/TimeLimit=00:07:00/);
      expect(info).toMatch(/JobName=repro:long/);
      slurm('scancel', job!.id);
      const r = await proc;
      expect(r.exitCode).toBe(1);
      expect(r.all).toMatch(new RegExp(`failed: long: slurm job ${job!.id} CANCELLED`));
      expect(f.exists('lockfiles/long.json')).toBe(false);
      f.executed();
      f.write('go', '');
      const again = await repro(f.dir, 'run', '--executor', 'slurm');
      expect(again.code, again.err).toBe(0);
      expect(f.executed()).toEqual(['long']);
    } finally {
      f.cleanup();
    }
  });

  it('cancels the jobs it submitted on Ctrl-C, and only those', async () => {
    const f = makePipeline({
      'pipeline.ts': pipelineSource(`[{ id: 'w', run: { module: 'stages/t.ts' }, outs: ['out/w.txt'], args: { waitFor: 'never' } }]`),
      'params.json': PARAMS,
    });
    const foreign = slurm('sbatch', '--parsable', '--cpus-per-task=1', '--output=/dev/null', '--wrap', 'sleep 120').trim();
    try {
      const proc = reproProcess(f.dir, ['run', '--executor', 'slurm']);
      let job: { id: string; state: string } | undefined;
      await waitUntil(async () => (job = await jobOf(f, 'w'))?.state === 'RUNNING', 'stage w to run', SLURM_POLL);
      proc.kill('SIGINT');
      const r = await proc;
      expect(r.exitCode).toBe(130);
      await waitUntil(() => /JobState=CANCELLED/.test(jobInfo(job!.id)), 'our job to be cancelled', { ...SLURM_POLL, ms: 20_000 });
      expect(jobInfo(foreign)).toMatch(/JobState=(RUNNING|PENDING)/);
    } finally {
      spawnSync('scancel', [foreign]);
      f.cleanup();
    }
  });

  it('says clearly when a stage asks for more than any node has, or Slurm is missing or unreachable', async () => {
    const f = makePipeline({
      'pipeline.ts': pipelineSource(`[{ id: 'huge', run: { module: 'stages/t.ts' }, outs: ['out/h.txt'], resources: { cpus: 64, memoryMB: 999999 } }]`),
      'params.json': PARAMS,
    });
    try {
      const big = await repro(f.dir, 'run', '--executor', 'slurm');
      expect(big.code).toBe(2);
      expect(big.err).toMatch(/stage huge asks for 64 cpus, 999999 MB, 0 gpus, which no node of the cluster can give \(debug: 2 cpus, 4000 MB/);
      const noPart = await repro(f.dir, 'run', '--executor', 'slurm', '--partition', 'gpu-a100');
      expect(noPart.err).toContain("Slurm partition 'gpu-a100' does not exist (partitions: debug)");
      const missing = await import('execa').then(({ execa }) =>
        execa(process.execPath, [join(import.meta.dirname, '../../bin/repro.js'), 'run', '--executor', 'slurm'], { cwd: f.dir, reject: false, env: { PATH: '/nonexistent' }, extendEnv: false }),
      );
      expect(missing.exitCode).toBe(2);
      expect(missing.stderr).toMatch(/sinfo not found: the Slurm executor needs Slurm's client commands/);
      // A configuration whose controller port nobody listens on.
      const { readFileSync: read, writeFileSync: write } = await import('node:fs');
      const dead = join(f.dir, 'dead.conf');
      write(dead, read(process.env.SLURM_CONF!, 'utf8').replace(/SlurmctldPort=(\d+)/, (_, p) => `SlurmctldPort=${Number(p) + 7}`));
      const unreachable = await import('execa').then(({ execa }) =>
        execa(process.execPath, [join(import.meta.dirname, '../../bin/repro.js'), 'run', '--executor', 'slurm'], { cwd: f.dir, reject: false, env: { SLURM_CONF: dead } }),
      );
      expect(unreachable.exitCode).toBe(2);
      expect(unreachable.stderr).toMatch(/cannot reach the Slurm controller/);
    } finally {
      f.cleanup();
    }
  });
});
