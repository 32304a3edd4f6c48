// The local scheduler's GPUs: which devices a machine offers (exec/gpu-devices.ts), and which
// of them each stage sees as CUDA_VISIBLE_DEVICES.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { devicesOfListing, localGpus, visibleDevices } from '../../src/engine/exec/gpu-devices.ts';
import { ENGINE, makePipeline, pipelineSource, repro, type Fixture } from './helpers.ts';

const H100S = `GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-5c1a6b2e-0d4f-4a41-9a3b-1f2e3d4c5b6a)
GPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-7e8f9a0b-1c2d-4e3f-8a9b-0c1d2e3f4a5b)
`;
const MIG = `GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-11111111-2222-3333-4444-555555555555)
  MIG 3g.20gb     Device  0: (UUID: MIG-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee)
  MIG 3g.20gb     Device  1: (UUID: MIG-ffffffff-0000-1111-2222-333333333333)
GPU 1: NVIDIA A100-SXM4-40GB (UUID: GPU-66666666-7777-8888-9999-000000000000)
`;

describe('the GPUs a machine offers local stages', () => {
  const none = () => null;

  it('are those nvidia-smi lists, by UUID, or a split GPU\'s MIG instances', () => {
    expect(devicesOfListing(H100S)).toEqual(['GPU-5c1a6b2e-0d4f-4a41-9a3b-1f2e3d4c5b6a', 'GPU-7e8f9a0b-1c2d-4e3f-8a9b-0c1d2e3f4a5b']);
    expect(devicesOfListing(MIG)).toEqual(['MIG-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', 'MIG-ffffffff-0000-1111-2222-333333333333', 'GPU-66666666-7777-8888-9999-000000000000']);
    expect(localGpus({}, () => H100S)).toEqual({ devices: devicesOfListing(H100S), source: 'nvidia-smi -L' });
    expect(localGpus({}, none)).toEqual({ devices: [], source: 'nvidia-smi (not found)' });
  });

  it('are CUDA_VISIBLE_DEVICES\' where it is set, up to its first invalid entry as CUDA reads it', () => {
    expect(localGpus({ CUDA_VISIBLE_DEVICES: '3,5' }, () => H100S).devices).toEqual(['3', '5']);
    expect(visibleDevices('')).toEqual([]);
    expect(visibleDevices('-1')).toEqual([]);
    expect(visibleDevices('2, 0,-1,1')).toEqual(['2', '0']);
    expect(visibleDevices('GPU-7e8f9a0b-1c2d,MIG-aaaa-bbbb')).toEqual(['GPU-7e8f9a0b-1c2d', 'MIG-aaaa-bbbb']);
  });

  it('are REPRO_GPUS of them where it is set, named as CUDA_VISIBLE_DEVICES names them if it does', () => {
    expect(localGpus({ REPRO_GPUS: '2' }, () => H100S)).toEqual({ devices: ['0', '1'], source: 'REPRO_GPUS=2' });
    expect(localGpus({ REPRO_GPUS: '1', CUDA_VISIBLE_DEVICES: '3,5' }, none).devices).toEqual(['3']);
    expect(localGpus({ REPRO_GPUS: '0' }, () => H100S).devices).toEqual([]);
  });

  it('refuse a REPRO_GPUS that is not a count, saying what to set', () => {
    for (const bad of ['two', '-1', '1.5', '']) {
      expect(() => localGpus({ REPRO_GPUS: bad }, none)).toThrow(`REPRO_GPUS must be a number of GPUs, got '${bad}'`);
    }
  });
});

/** Each stage writes the CUDA_VISIBLE_DEVICES it sees; the two 1-GPU shell stages wait for each other, so they run at once. */
const STAGES = `
import { writeFileSync } from 'node:fs';
import type { StageContext } from '${ENGINE}';

export async function devices(ctx: StageContext) {
  writeFileSync(ctx.outs[0]!, process.env.CUDA_VISIBLE_DEVICES ?? '<unset>');
}
`;
const WAIT_FOR_BOTH = `touch "$SYNC_DIR/$REPRO_STAGE_ID"
i=0
while [ ! -e "$SYNC_DIR/g1" ] || [ ! -e "$SYNC_DIR/g2" ]; do
  sleep 0.05; i=$((i+1)); [ $i -gt 600 ] && exit 1
done
printf %s "$CUDA_VISIBLE_DEVICES" > "$REPRO_OUT_0"
`;
const PIPELINE = pipelineSource(`[
  { id: 'g1', run: { shell: 'sh bin/wait.sh' }, outs: ['out/g1.txt'], resources: { gpus: 1 } },
  { id: 'g2', run: { shell: 'sh bin/wait.sh' }, outs: ['out/g2.txt'], resources: { gpus: 1 } },
  { id: 'both', run: { module: 'stages/devices.ts', export: 'devices' }, deps: ['out/g1.txt', 'out/g2.txt'], outs: ['out/both.txt'], resources: { gpus: 2 } },
  { id: 'cpu', run: { module: 'stages/devices.ts', export: 'devices' }, outs: ['out/cpu.txt'] },
]`);

describe('the local scheduler', () => {
  let f: Fixture | undefined;
  let sync: string | undefined;
  const saved = { ...process.env };
  afterEach(() => {
    f?.cleanup();
    if (sync) rmSync(sync, { recursive: true, force: true });
    for (const k of ['CUDA_VISIBLE_DEVICES', 'REPRO_GPUS', 'SYNC_DIR']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('gives stages that run at once different GPUs, and hides every GPU from a stage that declares none', async () => {
    f = makePipeline({ 'pipeline.ts': PIPELINE, 'stages/devices.ts': STAGES, 'bin/wait.sh': WAIT_FOR_BOTH });
    sync = mkdtempSync(join(tmpdir(), 'repro-gpu-sync-'));
    delete process.env.REPRO_GPUS;
    process.env.CUDA_VISIBLE_DEVICES = '3,5';
    process.env.SYNC_DIR = sync;
    const r = await repro(f.dir, 'run', '--jobs', '3');
    expect(r.code, r.err).toBe(0);
    expect([f.read('out/g1.txt'), f.read('out/g2.txt')].sort()).toEqual(['3', '5']);
    expect(f.read('out/both.txt').split(',').sort()).toEqual(['3', '5']);
    expect(f.read('out/cpu.txt')).toBe('');
    // The run records say which devices each stage had.
    const recorded = (id: string) => {
      const dir = join(f!.dir, '.repro', 'runs', id);
      return JSON.parse(readFileSync(join(dir, readdirSync(dir).sort().at(-1)!), 'utf8')).gpuDevices as string[];
    };
    expect(recorded('g1')).toEqual([f.read('out/g1.txt')]);
    expect(recorded('cpu')).toEqual([]);
  });

  it('names where it found the GPUs when a stage needs more', async () => {
    f = makePipeline({ 'pipeline.ts': PIPELINE, 'stages/devices.ts': STAGES, 'bin/wait.sh': WAIT_FOR_BOTH });
    delete process.env.REPRO_GPUS;
    process.env.CUDA_VISIBLE_DEVICES = '3';
    const r = await repro(f.dir, 'run');
    expect(r.code).toBe(2);
    expect(r.err).toContain('stage both needs 2 GPU(s); this machine offers 1 (CUDA_VISIBLE_DEVICES=3)');
    expect(r.err).toContain('set REPRO_GPUS=N');
    process.env.REPRO_GPUS = 'all';
    const bad = await repro(f.dir, 'run');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("REPRO_GPUS must be a number of GPUs, got 'all'");
  });
});
