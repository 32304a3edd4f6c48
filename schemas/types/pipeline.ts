/* Generated from schemas/pipeline.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * The code to run: an exported function of a TypeScript module, or a shell command.
 *
 * This interface was referenced by `PipelineDecl`'s JSON-Schema
 * via the `definition` "StageCode".
 */
export type StageCode =
  | {
      /**
       * Module path relative to the pipeline root.
       */
      module: string;
      /**
       * Exported function name (default: run).
       */
      export?: string;
    }
  | {
      /**
       * Shell command, run in the pipeline root. Outputs go to $REPRO_OUT_0…, deps are $REPRO_DEP_0….
       */
      shell: string;
    };
/**
 * How repro verify compares a re-executed output with the committed lock record.
 *
 * This interface was referenced by `PipelineDecl`'s JSON-Schema
 * via the `definition` "Verify".
 */
export type Verify =
  | 'exact'
  | 'none'
  | {
      /**
       * Dotted JSON paths of the numbers compared; * matches every array element or object value.
       *
       * @minItems 1
       */
      fields: string[];
      /**
       * Absolute tolerance.
       */
      abs?: number;
      /**
       * Relative tolerance, a fraction of the locked value.
       */
      rel?: number;
    };

/**
 * A pipeline declaration as pipeline.ts returns it, after matrix expansion.
 */
export interface PipelineDecl {
  stages: StageDecl[];
}
/**
 * This interface was referenced by `PipelineDecl`'s JSON-Schema
 * via the `definition` "StageDecl".
 */
export interface StageDecl {
  /**
   * Stable id, e.g. train@connect4-w16-c0: letters, digits and _.@+- only.
   */
  id: string;
  run: StageCode;
  /**
   * Files or directories read. A path another stage writes makes that stage upstream.
   */
  deps?: string[];
  /**
   * Dotted keys of params.json whose values the stage reads.
   */
  params?: string[];
  /**
   * Files or directories the stage writes.
   *
   * @minItems 1
   */
  outs: (string | OutDecl)[];
  resources?: Resources;
  /**
   * Seed for every random choice the stage makes.
   */
  seed?: number;
  /**
   * Environment variables whose values enter the key (declared environment facts).
   */
  env?: string[];
  /**
   * npm packages the stage loads by a name its code does not spell out (a dynamic import of a variable): their installed versions enter the key, as do those of the packages its code imports by name, which are found automatically.
   */
  packages?: string[];
  /**
   * JSON arguments passed to the stage (matrix coordinates, say); they enter the key.
   */
  args?: {};
  estimate?: StageEstimate;
}
/**
 * This interface was referenced by `PipelineDecl`'s JSON-Schema
 * via the `definition` "OutDecl".
 */
export interface OutDecl {
  path: string;
  verify?: Verify;
}
/**
 * This interface was referenced by `PipelineDecl`'s JSON-Schema
 * via the `definition` "Resources".
 */
export interface Resources {
  /**
   * CPU cores the stage keeps busy (default 1).
   */
  cpus?: number;
  /**
   * GPUs the stage needs (default 0).
   */
  gpus?: number;
  /**
   * Peak memory in MiB (default 0: not accounted).
   */
  memoryMB?: number;
  /**
   * Wall-clock limit in minutes, for cluster executors.
   */
  timeMinutes?: number;
}
/**
 * What one run of the stage is expected to cost, summed by repro run --dry-run. Not part of the key.
 */
export interface StageEstimate {
  /**
   * Estimated floating-point operations of one run.
   */
  flops: number;
}
