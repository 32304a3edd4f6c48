// Picks the TensorFlow.js backend once at start-up. The order is fastest first:
// tfjs-node-gpu (CUDA), tfjs-node (native TensorFlow on CPU), wasm (XNNPACK/SIMD), plain JS cpu.
// The two native packages are optional dependencies whose install script downloads a
// native library; where that download failed npm dropped them, so "not installed" is a normal
// outcome reported in one line, never a stack trace.
//
// Results are byte-identical only on the same backend (kernels differ in summation order),
// so the chosen name is returned for the stage to put in its run record.

import * as tf from '@tensorflow/tfjs-core';
import { setFlagsFromString } from 'node:v8';
import { BACKEND_ENV, BACKEND_PACKAGES, type BackendName } from './backend-env.ts';

export type { BackendName };
export const backendOrder: readonly BackendName[] = ['node-gpu', 'node', 'wasm', 'cpu'];

/** Loads a package by name; injectable so tests can make a package unavailable. */
export type Importer = (specifier: string) => Promise<unknown>;

export interface BackendChoice {
  /** Our name for the backend (the tfjs registry calls both native ones 'tensorflow'). */
  name: BackendName;
  /** The name tfjs itself reports (tf.getBackend()). */
  tfName: string;
  /** One line per backend tried and passed over, with the reason. */
  skipped: string[];
  /** Where the math runs: 'gpu' only for node-gpu with a CUDA device. */
  device: 'gpu' | 'cpu';
}

export interface SelectBackendOptions {
  /** Force one backend ('auto' or undefined = try in order). Falls back to REPRO_BACKEND. */
  force?: BackendName | 'auto';
  importer?: Importer;
  /** Where the one-line messages go (default console.error so stdout stays clean). */
  log?: (line: string) => void;
  /** Environment to read REPRO_BACKEND from (default process.env). */
  env?: Record<string, string | undefined>;
}

const tfNameOf: Record<BackendName, string> = {
  'node-gpu': 'tensorflow',
  node: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

const defaultImporter: Importer = (specifier) => import(specifier);
/** The messages' default destination: stderr, so stdout stays clean. */
const toStderr = (line: string) => console.error(line);

/** Selections made in this process, by what was asked for (a forced name, or 'auto'), with their line. */
const selections = new Map<string, Promise<{ choice: BackendChoice; line: string }>>();
/** The backend the last selectBackend() set, which tfjs runs on now. */
let active: BackendChoice | null = null;

/**
 * Selects the backend for what `options` ask (a forced one, or the first that starts), and
 * logs the line that says which. Each request is settled once per process: asking again
 * returns the same choice and sets it again, so stages that share a process (the engine's
 * pool) each run on the backend they asked for, and each log names it.
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendChoice> {
  const forced = parseForced(options.force, (options.env ?? process.env)[BACKEND_ENV]);
  const key = forced ?? 'auto';
  let selection = selections.get(key);
  if (!selection) {
    let line = '';
    selection = chooseBackend({ ...options, log: (l) => (line = l) }).then((choice) => ({ choice, line }));
    selections.set(key, selection);
    selection.catch(() => selections.delete(key));
  }
  const { choice, line } = await selection;
  if (tf.getBackend() !== choice.tfName) await tf.setBackend(choice.tfName);
  active = choice;
  (options.log ?? toStderr)(line);
  return choice;
}

/** The backend tfjs runs on, as the last selectBackend() set it (or as selectBackend() with no options sets it, if none did). */
export async function activeBackend(): Promise<BackendChoice> {
  return active ?? selectBackend();
}

/** The selection itself, without the process-wide memo: for tests of the fallback order. */
export async function chooseBackend(options: SelectBackendOptions = {}): Promise<BackendChoice> {
  const log = options.log ?? toStderr;
  const importer = options.importer ?? defaultImporter;
  const env = options.env ?? process.env;
  const forced = parseForced(options.force, env[BACKEND_ENV]);
  const candidates = forced ? [forced] : backendOrder;
  const skipped: string[] = [];

  for (const name of candidates) {
    const problem = await tryBackend(name, importer);
    if (problem === null) {
      // tfjs greets Node users of the plain backends with a banner recommending tfjs-node;
      // PROD silences it (and some debug checks we do not need).
      tf.env().set('PROD', true);
      // The GPU build keeps running on the CPU when CUDA finds no device. Falling through to
      // tfjs-node from there would load a second native TensorFlow under the same backend
      // name, so it stays selected and the line says where it really runs.
      const device = name === 'node-gpu' && !usesGpu() ? ' (no CUDA device found: TensorFlow runs on the CPU)' : '';
      const choice = { name, tfName: tf.getBackend(), skipped, device: device ? 'cpu' : name === 'node-gpu' ? 'gpu' : 'cpu' } as const;
      const determinism = process.env['TF_DETERMINISTIC_OPS'];
      const nondeterministic = isNative(name) && determinism !== '1' ? ` (TF_DETERMINISTIC_OPS=${determinism}: runs of one seed may differ)` : '';
      log(`tfjs backend: ${name}${device}${nondeterministic}${forced ? ' (forced)' : ''}${skipped.length ? ` [${skipped.join('; ')}]` : ''}`);
      return choice;
    }
    skipped.push(`${name}: ${problem}`);
    if (forced) {
      throw new Error(`tfjs backend "${name}" was forced (az.backend / REPRO_BACKEND) but is unavailable: ${problem}`);
    }
  }
  throw new Error(`no tfjs backend could be started: ${skipped.join('; ')}`);
}

function parseForced(param: string | undefined, envValue: string | undefined): BackendName | null {
  const raw = param && param !== 'auto' ? param : envValue && envValue !== 'auto' ? envValue : null;
  if (raw === null) return null;
  if (!(backendOrder as readonly string[]).includes(raw)) {
    throw new RangeError(`unknown tfjs backend "${raw}"; choose one of auto, ${backendOrder.join(', ')}`);
  }
  return raw as BackendName;
}

/** null when the backend is now active, else a one-line reason. */
async function tryBackend(name: BackendName, importer: Importer): Promise<string | null> {
  try {
    if (isNative(name)) requestDeterministicOps();
    await importer(BACKEND_PACKAGES[name]);
  } catch (e) {
    return describeImportFailure(BACKEND_PACKAGES[name], e);
  }
  try {
    if (name === 'wasm') await configureWasm(importer);
    const ok = await tf.setBackend(tfNameOf[name]);
    if (!ok) return 'tfjs could not initialise it';
    await tf.ready();
    return null;
  } catch (e) {
    return `failed to initialise: ${firstLine(e)}`;
  }
}

/**
 * Native TensorFlow picks, for some kernels (a bias's gradient, reductions on the GPU), a
 * faster version that adds with atomics in whatever order the threads arrive: two runs of
 * one seed would then differ in the last bits. TF_DETERMINISTIC_OPS=1 selects the
 * deterministic versions. The library reads it as it creates kernels, so it is set before
 * the package loads; a value already set (by the user) is kept, and the choice's line says
 * when it is not 1.
 */
function requestDeterministicOps(): void {
  process.env['TF_DETERMINISTIC_OPS'] ??= '1';
}

function describeImportFailure(pkg: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    const msg = firstLine(e);
    // A missing package, as opposed to a package whose native library is missing.
    if (msg.includes(`'${pkg}'`) || msg.includes(`"${pkg}"`)) return `${pkg} is not installed`;
  }
  return `${pkg} could not be loaded: ${firstLine(e)}`;
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0] ?? text;
}

function usesGpu(): boolean {
  const flag = (tf.backend() as unknown as { isUsingGpuDevice?: boolean | (() => boolean) }).isUsingGpuDevice;
  return typeof flag === 'function' ? flag() === true : flag === true;
}

/**
 * Single-threaded wasm: the threaded build needs a worker setup that Node runs do not have,
 * and one thread per process keeps results independent of the machine's core count.
 *
 * And no inlining of JavaScript's calls into WebAssembly (V8's --turbo-inline-js-wasm-calls,
 * on by default in Node 20), for the whole process, before the first network pass is
 * optimized: with it, in about one process in six, the network's forward passes from one
 * optimized caller ran 1.6-1.9x slower (Connect Four w16: 0.44-0.54 µs a row against
 * 0.27), for seconds at a time or for the rest of the process, while the same passes on the
 * same arrays from another caller, interleaved with them, did not (11 of 71 processes of
 * bench:selfplay's self-play and raw windows; without it, 1 of 92). The wrappers it saves
 * cost nothing measurable here. V8 flags are process-wide and bits do not depend on them.
 */
async function configureWasm(importer: Importer): Promise<void> {
  setFlagsFromString('--no-turbo-inline-js-wasm-calls');
  const wasm = (await importer(BACKEND_PACKAGES.wasm)) as { setThreadsCount?: (n: number) => void };
  wasm.setThreadsCount?.(1);
}

/**
 * Whether several worker threads of one process can each run the backend. The native
 * packages cannot: tfjs-node's binding keeps one process-wide TensorFlow backend (a global
 * in tfjs_binding.cc) that each thread's load of the package replaces, under the threads
 * that loaded it before (their tensors are then looked up in another thread's table:
 * tensorflow/tfjs#3463; later threads fail to start: #2079, #8388).
 */
export function runsOnWorkerThreads(name: BackendName): boolean {
  return !isNative(name);
}

/** Whether the backend is one of the native TensorFlow packages. */
function isNative(name: BackendName): boolean {
  return tfNameOf[name] === 'tensorflow';
}

/** For tests: forget the process-wide choice. */
export function resetBackendSelectionForTests(): void {
  selections.clear();
  active = null;
}
