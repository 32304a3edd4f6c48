// The training log's list of departures from the paper: none but the implementation's own
// under the paper profile, and each scaled budget under the default one.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deviationsFromPaper } from '../../src/az/paper-protocol.ts';
import { getKey, loadParams, type Params } from '../../src/engine/params.ts';
import { configFrom } from '../../stages/train.ts';

const root = join(fileURLToPath(import.meta.url), '../../..');

function config(params: Params, args: Record<string, unknown>) {
  return configFrom({ id: 'train@test', seed: 1, args, param: <T,>(key: string) => getKey(params, key) as T });
}

describe('deviations from the paper', () => {
  it('are only the implementation choices under the paper profile', () => {
    const paper = loadParams(root, 'paper');
    for (const game of ['connect4', 'pentago']) {
      const deviations = deviationsFromPaper(config(paper, { game, width: 16, copy: 0 }));
      expect(deviations.map((d) => d.kind)).toEqual(['implementation', 'implementation']);
      expect(deviations.map((d) => d.setting)).toEqual(['value target', 'self-play scheduling']);
    }
  });

  it("name each budget the default profile scales, with the paper's value and the one used", () => {
    const params = loadParams(root);
    const deviations = deviationsFromPaper(config(params, { game: 'pentago', width: 16, copy: 0 }));
    const bySetting = new Map(deviations.map((d) => [d.setting, d]));
    expect(bySetting.get('train.steps')).toMatchObject({ kind: 'budget', paper: 10_000, used: getKey(params, 'train.steps') });
    expect(bySetting.get('mcts.simulations')).toMatchObject({ kind: 'budget', paper: 300, used: getKey(params, 'mcts.simulations') });
    expect(bySetting.get('train.checkpoints')?.paper).toHaveLength(17);
    // Settings the default profile keeps are not listed.
    expect(bySetting.has('mcts.c')).toBe(false);
    expect(bySetting.has('train.lr')).toBe(false);
    expect(bySetting.has('study.connect4Board')).toBe(false);
  });

  it('record a smaller Connect Four board', () => {
    const params = loadParams(root);
    const deviations = deviationsFromPaper(config(params, { game: 'connect4', width: 8, copy: 0, board: { width: 5, height: 4 } }));
    expect(deviations.find((d) => d.setting === 'study.connect4Board')).toMatchObject({
      kind: 'budget',
      paper: { width: 7, height: 6 },
      used: { width: 5, height: 4 },
    });
  });
});
