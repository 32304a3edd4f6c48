// A value that matches no branch of a oneOf/anyOf gets one message: the errors of the branch
// it was meant for, or the shapes allowed beside the one given; a mistake repeated over many
// array items is said once. Checked on the repository's own schemas, through the validators
// `npm run gen:types` compiled and through a schema compiled afresh.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertValid } from '../../src/engine/json.ts';
import { REPO } from './helpers.ts';

const PIPELINE = join(REPO, 'schemas', 'pipeline.schema.json');
const PARAMS = join(REPO, 'schemas', 'params.schema.json');
// The same schema with no compiled validator beside it: json.ts compiles it itself.
const fresh = mkdtempSync(join(tmpdir(), 'repro-schema-errors-'));
const PIPELINE_FRESH = join(fresh, 'pipeline.schema.json');
copyFileSync(PIPELINE, PIPELINE_FRESH);
afterAll(() => rmSync(fresh, { recursive: true, force: true }));

/** The message assertValid throws, without the schema's name. */
function messageFor(schema: string, data: unknown): string {
  try {
    assertValid(schema, data, 'input');
  } catch (e) {
    return (e as Error).message.replace(/^input: /, '').replace(/ \(schema .*\)$/, '');
  }
  throw new Error('expected the data to be invalid');
}

const stage = (fields: Record<string, unknown>) => ({ id: 'a', run: { module: 'stages/a.ts' }, outs: ['out/a.txt'], ...fields });
const declaration = (...stages: Record<string, unknown>[]) => ({ stages });

describe('schema error messages', () => {
  for (const [label, schema] of [
    ['compiled by gen:types', PIPELINE],
    ['compiled afresh', PIPELINE_FRESH],
  ] as const) {
    it(`name the shapes allowed when a value fits no branch (${label})`, () => {
      expect(messageFor(schema, declaration(stage({ run: { command: 'echo' } })))).toBe('stages.0.run: must be { module, export? } or { shell }, not { command }');
      expect(messageFor(schema, declaration(stage({ run: { shell: 'x', module: 'y' } })))).toBe('stages.0.run: must be { module, export? } or { shell }, not { shell, module }');
      expect(messageFor(schema, declaration(stage({ outs: [3] })))).toBe('stages.0.outs.0: must be a string or { path, verify? }, not 3');
      expect(messageFor(schema, declaration(stage({ outs: [{ path: 'x', verify: 'exactly' }] })))).toBe(
        'stages.0.outs.0.verify: must be "exact" or "none" or { fields, abs?, rel? }, not "exactly"',
      );
    });

    it(`give the errors of the one branch a value was meant for, nested branches included (${label})`, () => {
      expect(messageFor(schema, declaration(stage({ run: { shell: 3 } })))).toBe('stages.0.run.shell: must be string');
      expect(messageFor(schema, declaration(stage({ outs: [{ path: 'x', verify: { fields: 'a', rel: -1 } }] })))).toBe(
        'stages.0.outs.0.verify.fields: must be array; stages.0.outs.0.verify.rel: must be >= 0',
      );
      expect(messageFor(schema, declaration(stage({ outs: [{ path: 'x', verfy: 'exact' }] })))).toBe(
        "stages.0.outs.0: must NOT have additional properties 'verfy' (did you mean verify?)",
      );
    });
  }

  it('name the missing properties of one value together', () => {
    expect(messageFor(PIPELINE, declaration({ run: { module: 'stages/a.ts' } }))).toBe("stages.0: must have required properties 'id', 'outs'");
    expect(messageFor(PIPELINE, declaration({ id: 'a', run: { module: 'stages/a.ts' } }))).toBe("stages.0: must have required property 'outs'");
  });

  it('say a mistake repeated over many items once, with the first paths', () => {
    const stages = Array.from({ length: 5 }, (_, i) => stage({ id: `s${i}`, run: { command: 'echo' } }));
    expect(messageFor(PIPELINE, declaration(...stages))).toBe('stages.0.run, stages.1.run, stages.2.run and 2 more: must be { module, export? } or { shell }, not { command }');
  });

  it("keep Ajv's own errors where a branch cannot be validated alone (a $ref to a path outside $defs)", () => {
    const schema = join(fresh, 'odd.schema.json');
    writeFileSync(
      schema,
      JSON.stringify({ type: 'object', properties: { size: { type: 'integer' }, limit: { oneOf: [{ $ref: '#/properties/size' }, { type: 'null' }] } } }),
    );
    expect(messageFor(schema, { limit: 'x' })).toBe('limit: must be integer; limit: must be null; limit: must match exactly one schema in oneOf');
  });

  it('pick the member of a discriminated union by its fixed property, or list the members', () => {
    const params = JSON.parse(readFileSync(join(REPO, 'params.json'), 'utf8'));
    const withPlateau = (sizePlateau: unknown) => ({ ...params, fits: { ...params.fits, sizePlateau } });
    expect(messageFor(PARAMS, withPlateau({ kind: 'within' }))).toBe("fits.sizePlateau: must have required property 'margin'");
    expect(messageFor(PARAMS, withPlateau({ kind: 'within', margin: -1 }))).toBe('fits.sizePlateau.margin: must be >= 0');
    expect(messageFor(PARAMS, withPlateau({ kind: 'bogus' }))).toBe(
      'fits.sizePlateau: must be { kind: "none" } or { kind: "within", margin } or { kind: "not-significantly-below", level }, not { kind }',
    );
  });
});
