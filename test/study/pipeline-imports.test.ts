// Every repro command loads pipeline.ts, `repro status` included: the declaration's imports
// are what a command pays before it starts. The study's declaration estimates compute from
// network shapes (network-shape.ts), never from the network's code and its TensorFlow.js,
// which took 0.15-0.2 s of every command to load.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportGraph } from '../../src/engine/imports.ts';
import { StatCache } from '../../src/engine/statcache.ts';
import { REPO } from '../engine/helpers.ts';

const scratch = mkdtempSync(join(tmpdir(), 'pipeline-imports-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('pipeline.ts', () => {
  it('loads neither the network code nor TensorFlow.js', () => {
    const graph = new ImportGraph(REPO, new StatCache(REPO, join(scratch, 'stat.json')));
    expect(Object.keys(graph.codeHashes('pipeline.ts'))).not.toContain('src/az/network.ts');
    expect(Object.keys(graph.packageVersions('pipeline.ts')).filter((name) => name.startsWith('@tensorflow/'))).toEqual([]);
  });
});
