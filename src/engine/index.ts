// Public API of the engine, for pipeline.ts and stage modules.
export { definePipeline, stage, matrix, outPath } from './declare.ts';
export type { StageDecl, OutDecl, Verify, Resources, StageCode, PipelineDecl, PipelineModule } from './declare.ts';
export type { StageContext, StageFunction } from './context.ts';
export { Rng } from './rng.ts';
export { readJsonValidated, writeJsonValidated, writeFileAtomic, stableJson, canonicalJson } from './json.ts';
export { InputError } from './errors.ts';
