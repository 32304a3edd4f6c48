// The GPUs the local scheduler hands out, one stage at a time, as CUDA device names.
//
// A stage sees only the devices it was given: the runner sets CUDA_VISIBLE_DEVICES to them
// before the stage loads, and to nothing for a stage that declares no GPU (as Ray does for
// its tasks, and as Slurm's gres does for its jobs). Without this, every TensorFlow process
// on a multi-GPU machine would take memory on every device, and a second GPU stage would
// run out of it.
import { execFileSync } from 'node:child_process';
import { InputError } from '../errors.ts';

/** Where the local GPUs were found, for messages. */
export interface LocalGpus {
  devices: string[];
  /** How they were found: REPRO_GPUS, CUDA_VISIBLE_DEVICES or nvidia-smi. */
  source: string;
}

/**
 * The machine's GPUs, in this order of precedence:
 * - REPRO_GPUS=N: N GPUs (the first N of CUDA_VISIBLE_DEVICES where it lists them, else 0..N-1);
 * - CUDA_VISIBLE_DEVICES: the devices it lists, up to the first invalid one as CUDA reads it;
 * - `nvidia-smi -L`: every GPU, or its MIG instances where it is split.
 */
export function localGpus(env: NodeJS.ProcessEnv = process.env, listGpus: () => string | null = nvidiaSmiList): LocalGpus {
  const visible = env.CUDA_VISIBLE_DEVICES === undefined ? undefined : visibleDevices(env.CUDA_VISIBLE_DEVICES);
  if (env.REPRO_GPUS !== undefined) {
    if (!/^\d+$/.test(env.REPRO_GPUS.trim())) {
      throw new InputError(`REPRO_GPUS must be a number of GPUs, got '${env.REPRO_GPUS}'`, 'set it to how many GPUs this machine has (e.g. REPRO_GPUS=2), or unset it to have nvidia-smi count them');
    }
    const n = Number(env.REPRO_GPUS);
    const devices = visible !== undefined && visible.length >= n ? visible.slice(0, n) : Array.from({ length: n }, (_, i) => String(i));
    return { devices, source: `REPRO_GPUS=${env.REPRO_GPUS}` };
  }
  if (visible !== undefined) return { devices: visible, source: `CUDA_VISIBLE_DEVICES=${env.CUDA_VISIBLE_DEVICES}` };
  const listing = listGpus();
  return { devices: listing === null ? [] : devicesOfListing(listing), source: listing === null ? 'nvidia-smi (not found)' : 'nvidia-smi -L' };
}

/** CUDA_VISIBLE_DEVICES' entries: CUDA ignores an invalid one (-1, say) and everything after it. */
export function visibleDevices(value: string): string[] {
  const devices: string[] = [];
  for (const entry of value.split(',').map((e) => e.trim())) {
    if (!/^(\d+|GPU-[0-9a-fA-F-]+|MIG-[\w/-]+)$/.test(entry)) break;
    devices.push(entry);
  }
  return devices;
}

/**
 * The devices of `nvidia-smi -L`, by UUID (indices differ between nvidia-smi's PCI order and
 * CUDA's default order; UUIDs do not). A GPU split into MIG instances offers those instead:
 * a CUDA process uses one instance, and a whole MIG-enabled GPU is not a device of its own.
 */
export function devicesOfListing(listing: string): string[] {
  const gpus: { uuid: string; migs: string[] }[] = [];
  for (const line of listing.split('\n')) {
    const gpu = /^GPU \d+:.*\(UUID: (GPU-[0-9a-fA-F-]+)\)/.exec(line);
    if (gpu) gpus.push({ uuid: gpu[1]!, migs: [] });
    const mig = /^\s+MIG .*\(UUID: (MIG-[\w/-]+)\)/.exec(line);
    if (mig && gpus.length) gpus[gpus.length - 1]!.migs.push(mig[1]!);
  }
  return gpus.flatMap((g) => (g.migs.length ? g.migs : [g.uuid]));
}

/** `nvidia-smi -L`'s output, or null where there is no NVIDIA driver. */
function nvidiaSmiList(): string | null {
  try {
    return execFileSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}
