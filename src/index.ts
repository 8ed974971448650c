/**
 * The library entry point (`import { fixDockerfile } from 'dockerfix'`): the same pipeline the
 * CLI runs, for editors, bots and build tools that want findings and fixes without a process.
 */
export { runTransforms } from './runner.js';
export type { ReportedFinding, RunResult, RunOptions, LocatedEdit } from './runner.js';
export { processText, processFile, contextFor } from './batch.js';
export type { BatchOptions, FileResult, Mode } from './batch.js';
export type { Transform, Finding, Severity, FixSafety } from './transform.js';
export type { Edit } from './edits.js';
export { defaultContext } from './context.js';
export type { TransformContext } from './context.js';
export { formatSarif } from './report/sarif.js';
export { formatJson } from './report/json.js';
export { explain, docsUrl } from './explain.js';
export { coRewrite } from './corewrite/index.js';
export { allTransforms, findTransform, selectTransforms } from '../transforms/index.js';
