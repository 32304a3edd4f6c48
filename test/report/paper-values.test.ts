// The paper's budgets are written twice on purpose: as facts the report sets a run beside
// (src/report/paper-values.ts) and as the paper profile a user runs and may edit. This keeps
// the shipped profile equal to the facts, key by key.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getKey, loadParams } from '../../src/engine/params.ts';
import { PAPER_BUDGETS } from '../../src/report/paper-values.ts';

const root = join(import.meta.dirname, '..', '..');

describe('the paper profile', () => {
  it('runs every budget the report calls the paper’s', () => {
    const params = loadParams(root, 'paper');
    for (const { key, paper } of PAPER_BUDGETS) expect(getKey(params, key), `profiles/paper.json ${key}`).toEqual(paper);
  });
});
