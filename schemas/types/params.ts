/* Generated from schemas/params.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * Every experiment parameter of the pipeline in this repository.
 */
export interface Params {
  demo: DemoParams;
}
/**
 * The engine's own demo stages.
 */
export interface DemoParams {
  /**
   * Shorter words are not counted.
   */
  minWordLength: number;
  /**
   * How many of the most frequent words the summary lists.
   */
  top: number;
}
