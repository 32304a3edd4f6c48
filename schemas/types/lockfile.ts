/* Generated from schemas/lockfile.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * lockfiles/<stage-id>.json: the key material of a stage's last successful run and the hashes of what it wrote. Deterministic: no times or hosts; the npm package versions it names are package-lock.json's.
 */
export interface LockRecord {
  /**
   * Engine schema version the key was computed with.
   */
  engine: number;
  id: string;
  /**
   * SHA-256 of the canonical JSON of material.
   */
  key: string;
  material: KeyMaterial;
  /**
   * Output path → what was written.
   */
  outs: {
    [k: string]: OutputRecord;
  };
}
/**
 * This interface was referenced by `LockRecord`'s JSON-Schema
 * via the `definition` "KeyMaterial".
 */
export interface KeyMaterial {
  engine: number;
  id: string;
  /**
   * module#export, or the shell command.
   */
  run: string;
  /**
   * Module path → SHA-256, over the import closure.
   */
  code: {
    [k: string]: string;
  };
  /**
   * Declared dotted key → value.
   */
  params: {};
  /**
   * Dep path → content hash (files) or manifest hash (directories).
   */
  deps: {
    [k: string]: string;
  };
  env: {
    [k: string]: string | null;
  };
  /**
   * npm package → installed version (null: not installed; several versions in the closure: all of them, sorted, joined by ', '), for the packages the code imports by name, those the stage declares, and every package those depend on. Records of engine 1 lack it.
   */
  packages?: {
    [k: string]: string | null;
  };
  outs: string[];
  seed: number | null;
  args: {};
}
/**
 * This interface was referenced by `LockRecord`'s JSON-Schema
 * via the `definition` "OutputRecord".
 */
export interface OutputRecord {
  kind: 'file' | 'dir';
  hash: string;
  size: number;
  /**
   * For directories: number of files.
   */
  files?: number;
  /**
   * For outputs verified with a tolerance: the locked numbers, by JSON path.
   */
  values?: {
    [k: string]: unknown;
  };
}
