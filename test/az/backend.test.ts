import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { activeBackend, chooseBackend, resetBackendSelectionForTests, selectBackend, type Importer } from '../../src/az/backend.ts';
import { PolicyValueNetwork } from '../../src/az/network.ts';
import { getGame } from '../../src/games/index.ts';

/** An importer that pretends the named packages are not installed (as npm leaves them when their native download fails). */
function without(...missing: string[]): Importer {
  return async (specifier) => {
    if (missing.includes(specifier)) {
      const e = new Error(`Cannot find package '${specifier}' imported from /x.js`) as NodeJS.ErrnoException;
      e.code = 'ERR_MODULE_NOT_FOUND';
      throw e;
    }
    return import(specifier);
  };
}

/**
 * A stand-in for @tensorflow/tfjs-node-gpu: registering a 'tensorflow' backend is what
 * importing the package does. `onLoad` runs as the package would load.
 */
function fakeNodeGpu(usesGpu: () => boolean, onLoad: () => void = () => {}): Importer {
  return async (specifier) => {
    if (specifier !== '@tensorflow/tfjs-node-gpu') return import(specifier);
    onLoad();
    tf.registerBackend('tensorflow', () => Object.assign(new MathBackendCPU(), { isUsingGpuDevice: usesGpu() }));
    return {};
  };
}

describe('backend selection', () => {
  it('falls back node-gpu -> node -> wasm when the native packages are missing, in one line each', async () => {
    const lines: string[] = [];
    const choice = await chooseBackend({
      importer: without('@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'),
      log: (l) => lines.push(l),
      env: {},
    });
    expect(choice.name).toBe('wasm');
    expect(choice.skipped).toEqual([
      'node-gpu: @tensorflow/tfjs-node-gpu is not installed',
      'node: @tensorflow/tfjs-node is not installed',
    ]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^tfjs backend: wasm \[node-gpu: .* not installed; node: .* not installed\]$/);
  });

  it('falls back to plain cpu when wasm is unavailable too', async () => {
    const choice = await chooseBackend({
      importer: without('@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm'),
      log: () => {},
      env: {},
    });
    expect(choice.name).toBe('cpu');
    expect(choice.tfName).toBe('cpu');
    expect(choice.skipped.map((s) => s.split(':')[0])).toEqual(['node-gpu', 'node', 'wasm']);
  });

  it('reports a package that is present but broken differently from a missing one', async () => {
    const importer: Importer = async (specifier) => {
      if (specifier === '@tensorflow/tfjs-node-gpu') throw new Error('libtensorflow.so.2: cannot open shared object file\n    at stack');
      return without('@tensorflow/tfjs-node')(specifier);
    };
    const choice = await chooseBackend({ importer, log: () => {}, env: {} });
    expect(choice.skipped[0]).toBe('node-gpu: @tensorflow/tfjs-node-gpu could not be loaded: libtensorflow.so.2: cannot open shared object file');
  });

  it('honours a forced backend (param first, then REPRO_BACKEND) and fails clearly when it is unavailable', async () => {
    expect((await chooseBackend({ force: 'cpu', log: () => {}, env: { REPRO_BACKEND: 'wasm' } })).name).toBe('cpu');
    expect((await chooseBackend({ log: () => {}, env: { REPRO_BACKEND: 'cpu' } })).name).toBe('cpu');
    await expect(chooseBackend({ force: 'node', importer: without('@tensorflow/tfjs-node'), log: () => {}, env: {} })).rejects.toThrow(
      /forced .* unavailable: @tensorflow\/tfjs-node is not installed/,
    );
    await expect(chooseBackend({ log: () => {}, env: { REPRO_BACKEND: 'gpu' } })).rejects.toThrow(/unknown tfjs backend "gpu"/);
  });

  it("runs the network's inference on the cpu fallback as on wasm (the fused kernel both register)", async () => {
    const game = getGame('pentago');
    const shape = { inputSize: game.observationSize, numActions: game.numActions, width: 16 };
    const batch = 5;
    const obs = Float32Array.from({ length: batch * shape.inputSize }, (_, i) => ((i * 31) % 7) / 7);
    const masks = Uint8Array.from({ length: batch * shape.numActions }, (_, i) => (i % 3 === 0 ? 0 : 1));
    const predictOn = async (force: 'wasm' | 'cpu') => {
      await chooseBackend({ force, log: () => {}, env: {} });
      expect(tf.getBackend()).toBe(force);
      const net = PolicyValueNetwork.create(shape, 1);
      const prediction = net.predict(obs, masks, batch);
      net.dispose();
      return prediction;
    };
    const wasm = await predictOn('wasm');
    const cpu = await predictOn('cpu');
    for (let i = 0; i < wasm.policy.length; i++) expect(cpu.policy[i]).toBeCloseTo(wasm.policy[i]!, 6);
    for (let i = 0; i < batch; i++) expect(cpu.value[i]).toBeCloseTo(wasm.value[i]!, 6);
    expect(cpu.policy[0]).toBe(0);
  });

  it('prefers node-gpu when it loads, and says when CUDA found no device', async () => {
    let gpu = true;
    const fakeNative = fakeNodeGpu(() => gpu);
    const lines: string[] = [];
    const withGpu = await chooseBackend({ importer: fakeNative, log: (l) => lines.push(l), env: {} });
    expect(withGpu).toMatchObject({ name: 'node-gpu', tfName: 'tensorflow', device: 'gpu', skipped: [] });
    tf.removeBackend('tensorflow');
    gpu = false;
    const withoutGpu = await chooseBackend({ importer: fakeNative, log: (l) => lines.push(l), env: {} });
    expect(withoutGpu).toMatchObject({ name: 'node-gpu', device: 'cpu' });
    expect(lines[1]).toBe('tfjs backend: node-gpu (no CUDA device found: TensorFlow runs on the CPU)');
    tf.removeBackend('tensorflow');
  });

  it('asks native TensorFlow for its deterministic kernels before loading it, and keeps a value the user set', async () => {
    const saved = process.env['TF_DETERMINISTIC_OPS'];
    const seen: (string | undefined)[] = [];
    const fakeNative = fakeNodeGpu(() => true, () => seen.push(process.env['TF_DETERMINISTIC_OPS']));
    const lines: string[] = [];
    try {
      delete process.env['TF_DETERMINISTIC_OPS'];
      await chooseBackend({ importer: fakeNative, log: (l) => lines.push(l), env: {} });
      tf.removeBackend('tensorflow');
      process.env['TF_DETERMINISTIC_OPS'] = '0';
      await chooseBackend({ importer: fakeNative, log: (l) => lines.push(l), env: {} });
      tf.removeBackend('tensorflow');
    } finally {
      if (saved === undefined) delete process.env['TF_DETERMINISTIC_OPS'];
      else process.env['TF_DETERMINISTIC_OPS'] = saved;
    }
    expect(seen).toEqual(['1', '0']);
    expect(lines).toEqual(['tfjs backend: node-gpu', 'tfjs backend: node-gpu (TF_DETERMINISTIC_OPS=0: runs of one seed may differ)']);
  });

  it('gives each request its own backend in a process shared by stages, and names it each time', async () => {
    // Stages one after another in one pooled process: one forces the plain CPU backend, the
    // next asks for the default, the next forces the CPU again.
    resetBackendSelectionForTests();
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    expect((await selectBackend({ force: 'cpu', log, env: {} })).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await selectBackend({ log, env: {} })).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect((await activeBackend()).name).toBe('wasm');
    expect((await selectBackend({ force: 'cpu', log, env: {} })).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await activeBackend()).name).toBe('cpu');
    expect(lines).toEqual(['tfjs backend: cpu (forced)', expect.stringMatching(/^tfjs backend: wasm/), 'tfjs backend: cpu (forced)']);
    await selectBackend({ log: () => {}, env: {} });
  });
});
