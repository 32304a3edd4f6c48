// Which executor a command uses, and the concurrency and capacity that go with it.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutorParams, SlurmConfig } from '../../../schemas/types/executor.ts';
import { InputError } from '../errors.ts';
import { assertValid } from '../json.ts';
import type { Project } from '../project.ts';
import { defaultCpus } from '../project.ts';
import { defaultCapacity, type Capacity } from '../scheduler.ts';
import type { Executor } from './executor.ts';
import { LocalExecutor } from './local.ts';
import { SlurmExecutor } from './slurm.ts';

const SCHEMA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'schemas', 'executor.schema.json');

export interface ExecutorFlags {
  executor?: string;
  jobs?: number;
  partition?: string;
  account?: string;
  qos?: string;
  sbatchArg?: string[];
  /** Local executor: a process of its own for every stage instead of the pool (local.ts). */
  freshProcesses?: boolean;
}

export function chooseExecutor(project: Project, flags: ExecutorFlags): { executor: Executor; jobs: number; capacity: Capacity } {
  const kind = flags.executor ?? 'local';
  if (kind === 'local') {
    const jobs = flags.jobs ?? defaultCpus();
    return { executor: new LocalExecutor({ freshProcesses: flags.freshProcesses }), jobs, capacity: defaultCapacity(Math.max(jobs, defaultCpus()), project.stages.some((s) => s.resources.gpus > 0)) };
  }
  if (kind === 'slurm') {
    const section = assertValid<ExecutorParams>(SCHEMA, project.params.executor ?? {}, `params executor section (${project.profile} profile)`);
    const config: SlurmConfig = { ...section.slurm };
    if (flags.partition) config.partition = flags.partition;
    if (flags.account) config.account = flags.account;
    if (flags.qos) config.qos = flags.qos;
    if (flags.sbatchArg?.length) config.extraArgs = [...(config.extraArgs ?? []), ...flags.sbatchArg];
    // The cluster does the resource accounting; here only the number of queued jobs is bounded.
    const jobs = flags.jobs ?? config.maxJobs ?? 100;
    return { executor: new SlurmExecutor(config, project.paths.repro), jobs, capacity: { cpus: Infinity, gpus: Infinity, memoryMB: Infinity } };
  }
  throw new InputError(`unknown executor '${kind}'`, 'use --executor local or --executor slurm');
}
