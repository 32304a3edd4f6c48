// Where an agent's checkpoint lives in its train output (artifacts/train/<agent>): the
// train stage lists every checkpoint with its path in compute.json, so that listing is read
// rather than the directory layout assumed.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonValidated } from '../../engine/json.ts';
import type { TrainingCompute } from '../../../schemas/types/train-compute.ts';
import { PolicyValueNetwork } from '../../az/network.ts';

const COMPUTE_SCHEMA = join(import.meta.dirname, '..', '..', '..', 'schemas', 'train-compute.schema.json');

export function readCompute(trainDir: string): TrainingCompute {
  const file = join(trainDir, 'compute.json');
  if (!existsSync(file)) throw new Error(`${trainDir}: no compute.json; is this the output of a train@… stage?`);
  return readJsonValidated<TrainingCompute>(COMPUTE_SCHEMA, file);
}

export function checkpointDir(trainDir: string, step: number): string {
  const compute = readCompute(trainDir);
  const entry = compute.checkpoints.find((c) => c.step === step);
  if (!entry) {
    throw new Error(`${trainDir}: no checkpoint at step ${step} (it has ${compute.checkpoints.map((c) => c.step).join(', ')}); train.checkpoints and the tournament plan disagree`);
  }
  return join(trainDir, entry.checkpoint);
}

export function loadCheckpoint(trainDir: string, step: number): Promise<PolicyValueNetwork> {
  return PolicyValueNetwork.load(checkpointDir(trainDir, step));
}
