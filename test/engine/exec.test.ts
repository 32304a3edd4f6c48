// `repro exec` runs one stage as the scheduler would; shell stages see their paths and params.
import { afterEach, describe, expect, it } from 'vitest';
import { makePipeline, pipelineSource, repro, type Fixture } from './helpers.ts';

let f: Fixture | undefined;
afterEach(() => f?.cleanup());

describe('repro exec and shell stages', () => {
  it('runs a single stage, writes its lock, and leaves other stages alone', async () => {
    f = makePipeline({
      'pipeline.ts': pipelineSource(`[
        { id: 'a', run: { module: 'stages/t.ts' }, outs: ['out/a.txt'] },
        { id: 'sh', run: { shell: 'printf "%s|%s|%s" "$(cat "$REPRO_DEP_0" | head -c 5)" "$REPRO_PARAMS" "$REPRO_SEED" > "$REPRO_OUT_0"' }, deps: ['out/a.txt'], params: ['k'], seed: 9, outs: ['out/sh.txt'] },
      ]`),
      'params.json': JSON.stringify({ k: 'v', other: 1 }),
    });
    const missingDep = await repro(f.dir, 'exec', 'sh');
    expect(missingDep.code).toBe(1);
    expect(missingDep.err).toContain('deps missing: out/a.txt');
    expect((await repro(f.dir, 'exec', 'a')).code).toBe(0);
    expect(f.executed()).toEqual(['a']);
    const r = await repro(f.dir, 'exec', 'sh');
    expect(r.code, r.err).toBe(0);
    expect(f.read('out/sh.txt')).toBe('{"dep|{"k":"v"}|9');
    expect(f.exists('lockfiles/sh.json')).toBe(true);
    const st = JSON.parse((await repro(f.dir, 'status', '--json')).out);
    expect(st.stages.map((s: { state: string }) => s.state)).toEqual(['fresh', 'fresh']);
    const again = await repro(f.dir, 'exec', 'a');
    expect(again.code).toBe(0);
    expect(f.executed()).toEqual([]); // fresh: nothing to do
    expect((await repro(f.dir, 'exec', 'nope')).code).toBe(2);
  });
});
