// A real single-node Slurm cluster for tests: munged, slurmctld and slurmd on localhost
// from Debian's packages (slurm-wlm, munge), with a generated slurm.conf in a temp dir.
// `.ci/run` installs the packages; where they are absent, startCluster says why and the
// Slurm tests skip.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Cluster {
  conf: string;
  env: Record<string, string>;
  stop(): void;
}

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Why no cluster can be started here, or null. */
export function clusterUnavailable(): string | null {
  for (const cmd of ['munged', 'slurmctld', 'slurmd', 'sbatch']) if (!has(cmd)) return `${cmd} is not installed (apt-get install slurm-wlm munge)`;
  if (process.getuid?.() !== 0) return 'the test cluster runs its daemons as root';
  return null;
}

function ensureMunge(): void {
  if (spawnSync('sh', ['-c', 'munge -n | unmunge']).status === 0) return;
  mkdirSync('/run/munge', { recursive: true });
  spawnSync('chown', ['munge:munge', '/run/munge']);
  const r = spawnSync('munged', ['--force']);
  if (r.status !== 0) throw new Error(`munged did not start: ${r.stderr}`);
}

export async function startCluster(): Promise<Cluster> {
  ensureMunge();
  const dir = mkdtempSync(join(tmpdir(), 'repro-slurm-'));
  for (const d of ['state', 'spool', 'log']) mkdirSync(join(dir, d));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    `ClusterName=repro-test
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=${dir}/state
SlurmdSpoolDir=${dir}/spool
SlurmctldPidFile=${dir}/slurmctld.pid
SlurmdPidFile=${dir}/slurmd.pid
SlurmctldLogFile=${dir}/log/slurmctld.log
SlurmdLogFile=${dir}/log/slurmd.log
SlurmctldPort=${port}
SlurmdPort=${port + 1}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
MinJobAge=3600
DefMemPerCPU=500
NodeName=localhost CPUs=2 RealMemory=4000 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=60 State=UP
`,
  );
  const env = { SLURM_CONF: conf };
  const daemons: ChildProcess[] = [
    spawn('slurmctld', ['-D', '-i'], { env: { ...process.env, ...env }, stdio: 'ignore' }),
    spawn('slurmd', ['-D', '-N', 'localhost'], { env: { ...process.env, ...env }, stdio: 'ignore' }),
  ];
  const stop = () => {
    spawnSync('scancel', ['--user=root'], { env: { ...process.env, ...env } });
    for (const d of daemons) d.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const t0 = Date.now();
  for (;;) {
    const r = spawnSync('sinfo', ['-h', '-o', '%t'], { env: { ...process.env, ...env }, encoding: 'utf8' });
    if (r.status === 0 && /idle/.test(r.stdout)) break;
    if (Date.now() - t0 > 60_000) {
      stop();
      throw new Error(`the test Slurm cluster did not come up: ${r.stderr}`);
    }
    await new Promise((res) => setTimeout(res, 300));
  }
  return { conf, env, stop };
}
