// `repro` command line: run, status, show, exec, verify, dag, gc. Exit codes: 0 success, 1 a stage failed,
// 2 bad input (params, declaration, usage), with the message on stderr.
import { Command, CommanderError, Option } from 'commander';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { chooseExecutor, type ExecutorFlags } from '../exec/choose.ts';
import { runningJobs } from '../exec/job-registry.ts';
import { findRoot } from '../project.ts';
import { projectPaths } from '../paths.ts';
import { createReporter, formatMs } from '../progress.ts';
import { acquireRunLock } from '../runlock.ts';
import { gcLockFile, holdExecLease, liveExecLeases } from '../exec-lease.ts';
import { countOutcomes, matchTargets, runStages, selectStages, type RunSummary } from '../scheduler.ts';
import { statusOf, toStatusJson } from '../status.ts';
import { updateStage } from '../update-stage.ts';
import { renderDag } from '../dag.ts';
import { collectGarbage, describeGc } from '../gc.ts';
import { committedLockKeys } from '../committed-locks.ts';
import { openWorkspace } from '../workspace.ts';
import { verifyProject } from '../verify.ts';
import { loadProject } from '../project.ts';
import { reasonLines } from './reason-lines.ts';
import { showLines, showStage, type ShowReport } from './show.ts';
import { didYouMean } from '../suggest.ts';

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const defaultIo: Io = { out: (s) => process.stdout.write(s + '\n'), err: (s) => process.stderr.write(s + '\n') };

function integerAtLeast(min: number, name: string) {
  return (v: string) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n) || n < min) {
      throw new InputError(`${name} must be a${min > 0 ? ' positive' : ' non-negative'} integer, got '${v}'`, `pass e.g. ${name} 2`);
    }
    return n;
  };
}
const positiveInt = (name: string) => integerAtLeast(1, name);
const nonNegativeInt = (name: string) => integerAtLeast(0, name);

/** Adds the live state of stages running as cluster jobs (squeue), where there are any. */
async function attachJobs(stages: { id: string; job?: { executor: string; id: string; state: string } }[], jobs: Record<string, { executor: string; id: string }>): Promise<void> {
  const slurm = Object.entries(jobs).filter(([, j]) => j.executor === 'slurm');
  if (!slurm.length) return;
  const { execa } = await import('execa');
  const q = await execa('squeue', ['-h', '-j', slurm.map(([, j]) => j.id).join(','), '-o', '%i|%T'], { reject: false, timeout: 30_000 }).catch(() => null);
  const states = new Map((q?.stdout ?? '').split('\n').map((l) => l.trim().split('|') as [string, string]));
  for (const [stageId, j] of slurm) {
    const s = stages.find((x) => x.id === stageId);
    if (s) s.job = { executor: j.executor, id: j.id, state: states.get(j.id) ?? (q ? 'FINISHING' : 'UNKNOWN (squeue unavailable)') };
  }
}

/** The workspace's run lock, saying so when it waits for a run or takes over a dead one's. */
function takeRunLock(reproDir: string, wait: boolean, io: Io) {
  return acquireRunLock(join(reproDir, 'run.lock'), {
    wait,
    onWait: (h) => io.err(`waiting for the run of pid ${h.pid} (started ${h.started}) to finish…`),
    onStale: (h) => io.err(`removed a stale run lock left by pid ${h.pid}, which is no longer running`),
  });
}

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  let code = 0;
  const program = new Command('repro')
    .description('A content-hashed DAG build system for research pipelines.')
    .option('-C, --root <dir>', 'pipeline root (default: nearest directory with pipeline.ts)')
    .option('-p, --profile <name>', 'params profile: profiles/<name>.json over params.json', 'default')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showSuggestionAfterError();
  const root = () => findRoot(program.opts().root ?? process.cwd());

  program
    .command('run')
    .description('bring the targets (all stages by default) up to date, running exactly the stale ones')
    .argument('[targets...]', 'stage ids, matrix names (the part before @) or globs')
    .addOption(new Option('-j, --jobs <n>', 'stages run at once').argParser(positiveInt('--jobs')))
    .option('-f, --force', 'rerun the targets even if fresh, bypassing the run cache')
    .option('-n, --dry-run', 'say what would run, and why, without running anything')
    .option('-k, --keep-going', 'after a failure, keep running stages that do not depend on it')
    .option('--no-wait', 'exit at once if another run holds the workspace instead of waiting')
    .option('--fresh-processes', 'start a process for every stage rather than reuse a pool of them (slower; for stages that leave global state behind)')
    .addOption(new Option('-e, --executor <name>', 'where stages run').choices(['local', 'slurm']).default('local'))
    .option('--partition <name>', 'Slurm partition (overrides params executor.slurm.partition)')
    .option('--account <name>', 'Slurm account')
    .option('--qos <name>', 'Slurm QOS')
    .option('--sbatch-arg <arg>', 'extra sbatch argument (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .action(async (targets: string[], o: ExecutorFlags & { force?: boolean; dryRun?: boolean; keepGoing?: boolean; wait: boolean }) => {
      const ws = await openWorkspace(root(), program.opts().profile);
      const stages = selectStages(ws.project, targets);
      if (o.dryRun) {
        const evals = statusOf(ws.project, ws, stages);
        const todo = evals.filter((e) => o.force || e.state !== 'fresh');
        for (const e of todo) io.out(`would run ${e.stage.id}${e.reasons.length ? `: ${reasonLines(e.reasons).join('; ')}` : ' (forced)'}`);
        const estimated = todo.filter((e) => e.stage.estimateFlops !== null);
        const flops = estimated.reduce((sum, e) => sum + e.stage.estimateFlops!, 0);
        // Per family of a matrix (the id before '@'), largest first.
        const byFamily = new Map<string, { stages: number; flops: number }>();
        for (const e of estimated) {
          const family = e.stage.id.split('@')[0]!;
          const f = byFamily.get(family) ?? { stages: 0, flops: 0 };
          f.stages += 1;
          f.flops += e.stage.estimateFlops!;
          byFamily.set(family, f);
        }
        for (const [family, f] of [...byFamily].sort((a, b) => b[1].flops - a[1].flops)) {
          io.out(`  ${family}: ${f.stages} stage(s), estimated ${f.flops.toExponential(2)} FLOPs`);
        }
        io.out(`${todo.length} of ${stages.length} stage(s) would run${estimated.length ? `; estimated compute ${flops.toExponential(2)} FLOPs (declared by ${estimated.length} of them)` : ''}`);
        ws.save();
        return;
      }
      const lock = await takeRunLock(ws.project.paths.repro, o.wait, io);
      const abort = new AbortController();
      const onSigint = () => {
        io.err('interrupted: stopping running stages (their checkpoints stay for the next run)…');
        abort.abort();
      };
      process.on('SIGINT', onSigint);
      process.on('SIGTERM', onSigint);
      const reporter = createReporter(stages.length, { tty: io === defaultIo && Boolean(process.stderr.isTTY) && !process.env.CI, write: io.err });
      let summary: RunSummary;
      try {
        const { executor, jobs, capacity } = chooseExecutor(ws.project, o);
        summary = await runStages(ws.project, stages, ws, {
          jobs,
          force: Boolean(o.force),
          keepGoing: Boolean(o.keepGoing),
          executor,
          capacity,
          events: reporter,
          signal: abort.signal,
        });
      } finally {
        reporter.close();
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigint);
        ws.save();
        lock.release();
      }
      const c = countOutcomes(summary);
      io.err(`ran ${c.ran}, restored ${c.restored}, fresh ${c.fresh}, failed ${c.failed}${c.skipped ? `, skipped ${c.skipped}` : ''} in ${formatMs(summary.ms)}`);
      for (const [id, r] of summary.results) {
        if (r.outcome === 'failed') io.err(`  failed: ${id}: ${r.error}${'log' in r && r.log ? ` (log: ${r.log})` : ''}`);
      }
      if (summary.interrupted) code = 130;
      else if (c.failed || c.skipped || summary.results.size < stages.length) code = 1;
    });

  program
    .command('status')
    .description('say which stages are fresh, stale or missing, and why')
    .argument('[targets...]', 'stage ids, matrix names or globs')
    .option('--json', 'machine-readable output')
    .action(async (targets: string[], o: { json?: boolean }) => {
      const ws = await openWorkspace(root(), program.opts().profile);
      const evals = statusOf(ws.project, ws, selectStages(ws.project, targets));
      ws.save();
      const report = toStatusJson(evals);
      await attachJobs(report.stages, runningJobs(ws.project.paths.repro));
      if (o.json) {
        io.out(JSON.stringify(report, null, 2));
        return;
      }
      for (const e of evals) {
        const job = report.stages.find((s) => s.id === e.stage.id)?.job;
        io.out(`${e.state.padEnd(7)} ${e.stage.id}${job ? `  [${job.executor} job ${job.id}: ${job.state}]` : ''}`);
        for (const line of reasonLines(e.reasons)) io.out(`          ${line}`);
      }
      const n = (s: string) => evals.filter((e) => e.state === s).length;
      io.out(`${n('fresh')} fresh, ${n('stale')} stale, ${n('missing')} missing`);
    });

  program
    .command('show')
    .description('say where the outputs of the targets came from: lock record, outputs, and the run that computed them')
    .argument('<targets...>', 'stage ids, matrix names or globs')
    .option('--json', 'machine-readable output')
    .action(async (targets: string[], o: { json?: boolean }) => {
      const ws = await openWorkspace(root(), program.opts().profile);
      const named = new Set(matchTargets(ws.project, targets).map((s) => s.id));
      // Upstream too, so that a stage below a stale one says it will rerun.
      const evals = statusOf(ws.project, ws, selectStages(ws.project, targets)).filter((e) => named.has(e.stage.id));
      ws.save();
      const report: ShowReport = { stages: evals.map((e) => showStage(ws.project, e)) };
      if (o.json) io.out(JSON.stringify(report, null, 2));
      else io.out(report.stages.map((s) => showLines(s).join('\n')).join('\n\n'));
    });

  program
    .command('exec')
    .description('run one stage on its own, as the scheduler would (deps must exist)')
    .argument('<stage-id>')
    .option('-f, --force', 'run even if fresh, bypassing the run cache')
    .action(async (id: string, o: { force?: boolean }) => {
      const ws = await openWorkspace(root(), program.opts().profile);
      const stage = ws.project.byId.get(id);
      if (!stage) throw new InputError(`no stage with id '${id}'${didYouMean(id, ws.project.byId.keys())}`, 'see repro dag for the stage ids');
      const reporter = createReporter(1, { tty: false, write: io.err });
      const lease = await holdExecLease(ws.project.paths.repro, id, (gc) => io.err(`waiting for repro gc (pid ${gc.pid} on ${gc.host}, started ${gc.started}) to finish…`));
      try {
        // One stage: a pool would have nothing to reuse its process for.
        const r = await updateStage(ws.project, stage, ws, { force: Boolean(o.force), executor: chooseExecutor(ws.project, { freshProcesses: true }).executor, events: reporter });
        reporter.end(id, r);
        ws.save();
        if (r.outcome === 'failed') code = 1;
      } finally {
        lease.release();
      }
    });

  program
    .command('verify')
    .description('re-execute the profile (or the targets and what they need) in a fresh workspace and compare every output with the committed lock records')
    .argument('[targets...]', 'stage ids, matrix names or globs (all stages by default)')
    .option('--json', 'machine-readable output')
    .addOption(new Option('-j, --jobs <n>', 'stages run at once').argParser(positiveInt('--jobs')))
    .option('--keep', 'keep the fresh workspace for inspection')
    .option('--fresh-processes', 'start a process for every stage rather than reuse a pool of them')
    .action(async (targets: string[], o: { json?: boolean; jobs?: number; keep?: boolean; freshProcesses?: boolean }) => {
      const project = await loadProject(root(), { profile: program.opts().profile });
      const { executor, jobs, capacity } = chooseExecutor(project, { jobs: o.jobs, freshProcesses: o.freshProcesses });
      const reporter = createReporter(selectStages(project, targets).length, { tty: false, quiet: true, write: io.err });
      const report = await verifyProject(project, {
        jobs,
        capacity,
        executor,
        events: reporter,
        keepWorkspace: o.keep,
        targets,
      });
      if (o.json) io.out(JSON.stringify({ ok: report.ok, checks: report.checks }, null, 2));
      else {
        for (const c of report.checks) io.out(`${c.ok ? 'ok     ' : 'differs'} ${c.stage} ${c.output} (${c.kind}): ${c.detail}`);
        io.out(report.ok ? `verified: all ${report.checks.length} outputs reproduce` : `FAILED: ${report.checks.filter((c) => !c.ok).length} of ${report.checks.length} outputs differ`);
        if (o.keep) io.out(`fresh workspace kept at ${report.workspace}`);
      }
      if (!report.ok) code = 1;
    });

  program
    .command('dag')
    .description('print the pipeline graph')
    .option('--mermaid', 'as a Mermaid flowchart')
    .option('--dot', 'as Graphviz dot')
    .action(async (o: { mermaid?: boolean; dot?: boolean }) => {
      const ws = await openWorkspace(root(), program.opts().profile);
      io.out(renderDag(ws.project, o.mermaid ? 'mermaid' : o.dot ? 'dot' : 'text'));
    });

  program
    .command('gc')
    .description("remove what no lock record needs: other runs' cache entries and objects, old run records, empty staging")
    .option('-n, --dry-run', 'say what would be removed, and remove nothing')
    .addOption(new Option('--keep-runs <n>', 'run records kept per stage, newest first (those of the lock records are always kept)').argParser(nonNegativeInt('--keep-runs')).default(10))
    .option('--staging', "also remove interrupted stages' staging (their resume state: they start over)")
    .option('-a, --all-branches', 'also keep what the lock records committed on every local branch name')
    .option('-T, --all-tags', 'also keep what the lock records committed on every tag name')
    .option('--no-wait', 'exit at once if a run holds the workspace instead of waiting')
    .action(async (o: { dryRun?: boolean; keepRuns: number; staging?: boolean; allBranches?: boolean; allTags?: boolean; wait: boolean }) => {
      const dir = root();
      const { repro } = projectPaths(dir, 'default');
      const lock = await takeRunLock(repro, o.wait, io);
      // Only a gc takes it, and gc holds the run lock: a holder is a gc that died (taken over).
      const gcLock = await acquireRunLock(gcLockFile(repro), { wait: false, holder: 'repro gc' }).catch((e: unknown) => {
        lock.release();
        throw e;
      });
      try {
        // Held by no run, the workspace may still await cluster jobs a killed run started.
        const jobs = Object.entries(runningJobs(repro));
        if (jobs.length) {
          throw new InputError(
            `${jobs.length} stage(s) run as cluster jobs (${jobs.map(([id, j]) => `${id}: ${j.executor} job ${j.id}`).join(', ')}); their results would come back to a cache gc is clearing`,
            'let a repro run collect them (repro status shows their state), or cancel them, then run repro gc again',
          );
        }
        const execs = liveExecLeases(repro);
        if (execs.length) {
          throw new InputError(
            `${execs.length} stage(s) run by repro exec (${execs.map((e) => `${e.stage}: pid ${e.pid} on ${e.host} since ${e.started}`).join(', ')}); gc could remove what they are storing`,
            `wait for them to finish, then run repro gc again (a lease whose process is gone from another host: delete it from ${join(repro, 'execs')})`,
          );
        }
        const dryRun = Boolean(o.dryRun);
        const alsoKeep = await committedLockKeys(dir, { branches: Boolean(o.allBranches), tags: Boolean(o.allTags) });
        const report = collectGarbage(dir, { dryRun, keepRuns: o.keepRuns, staging: Boolean(o.staging), alsoKeep });
        for (const line of describeGc(report, dir, dryRun)) io.out(line);
      } finally {
        gcLock.release();
        lock.release();
      }
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (e instanceof InputError) {
      io.err(`error: ${e.format()}`);
      return 2;
    }
    io.err(`internal error: ${(e as Error)?.stack ?? e}`);
    return 1;
  }
}
