// Schemas validate through the code `npm run gen:types` compiled them to (schemas/validators/),
// and only while that code was compiled from the schema as it is: an edited schema without
// regenerated validators is compiled afresh, never checked by its old rules.
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertValid, schemaSha256, validatorFile } from '../../src/engine/json.ts';
import { REPO } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** schemas/<name>.schema.json, and its compiled validator, copied into a fresh directory. */
function copySchema(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'repro-validators-'));
  dirs.push(dir);
  const schema = join(dir, `${name}.schema.json`);
  copyFileSync(join(REPO, 'schemas', `${name}.schema.json`), schema);
  mkdirSync(join(dir, 'validators'));
  copyFileSync(validatorFile(join(REPO, 'schemas', `${name}.schema.json`)), validatorFile(schema));
  return schema;
}

const executor = {};

describe('compiled validators', () => {
  it('validate as the schema does', () => {
    const schema = copySchema('executor');
    expect(assertValid(schema, executor, 'executor.json')).toEqual(executor);
    expect(() => assertValid(schema, { extra: 1 }, 'executor.json')).toThrow(/executor\.json: .*must NOT have additional properties 'extra'/);
  });

  it('are used only while they match the schema text, and intact', () => {
    const schema = copySchema('executor');
    // A stand-in compiled "from" this text that rejects everything, with an error of its own.
    const reject = (sha: string) =>
      `module.exports = function v(){ v.errors = [{ instancePath: '', keyword: 'stand-in', params: {}, message: 'stand-in validator' }]; return false; };\nmodule.exports.schemaSha256 = ${JSON.stringify(sha)};\n`;
    writeFileSync(validatorFile(schema), reject(schemaSha256(readFileSync(schema, 'utf8'))));
    expect(() => assertValid(schema, executor, 'executor.json')).toThrow(/stand-in validator/);

    const edited = copySchema('executor');
    writeFileSync(validatorFile(edited), reject(schemaSha256(readFileSync(edited, 'utf8'))));
    writeFileSync(edited, readFileSync(edited, 'utf8').replace('"type": "object"', '"type": "object", "description": "edited"'));
    expect(assertValid(edited, executor, 'executor.json')).toEqual(executor);

    const damaged = copySchema('executor');
    writeFileSync(validatorFile(damaged), 'module.exports = function (');
    expect(() => assertValid(damaged, { extra: 1 }, 'executor.json')).toThrow(/must NOT have additional properties 'extra'/);
  });
});
