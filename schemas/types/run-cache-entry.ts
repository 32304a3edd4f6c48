/* Generated from schemas/run-cache-entry.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * .repro/cache/runs/<key>.json: the outputs of one successful run, by content address.
 */
export interface RunCacheEntry {
  key: string;
  id: string;
  outs: {
    [k: string]: CachedOutput;
  };
}
export interface CachedOutput {
  kind: 'file' | 'dir';
  hash: string;
  size: number;
  files?: {
    [k: string]: CachedFile;
  };
}
export interface CachedFile {
  hash: string;
  size: number;
}
