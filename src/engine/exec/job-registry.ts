// Which stages are running as cluster jobs right now (.repro/jobs.json), so that
// `repro status` can show their job ids and states from another process.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../json.ts';

export interface JobRef {
  executor: string;
  id: string;
}

const file = (reproDir: string) => join(reproDir, 'jobs.json');

export function runningJobs(reproDir: string): Record<string, JobRef> {
  if (!existsSync(file(reproDir))) return {};
  try {
    return JSON.parse(readFileSync(file(reproDir), 'utf8')) as Record<string, JobRef>;
  } catch {
    return {};
  }
}

export function recordJob(reproDir: string, stageId: string, job: JobRef): void {
  writeFileAtomic(file(reproDir), JSON.stringify({ ...runningJobs(reproDir), [stageId]: job }, null, 2));
}

export function forgetJob(reproDir: string, stageId: string): void {
  const jobs = runningJobs(reproDir);
  if (!(stageId in jobs)) return;
  delete jobs[stageId];
  writeFileAtomic(file(reproDir), JSON.stringify(jobs, null, 2));
}
