/**
 * dockerfile-ast's classes, required rather than imported: the package is CommonJS, and an ES
 * import of it makes Node read and lex its ~35 files for their export names before loading them
 * (about 10 ms of a one-file run). Every module of ours takes the library's values from here, so
 * they all use one copy (under a test runner too) — the copy parser-speedups.ts patches.
 */
import { createRequire } from 'node:module';
import type * as DockerfileAst from 'dockerfile-ast';

const dockerfileAst = createRequire(import.meta.url)('dockerfile-ast') as typeof DockerfileAst;

/**
 * `require` from dockerfile-ast's own location: its internal files (`./parser`) and the copies of
 * its dependencies it loads (vscode-languageserver-types / -textdocument), for parser-speedups.ts.
 */
export const requireFromAst = createRequire(
  createRequire(import.meta.url).resolve('dockerfile-ast'),
);

export const DockerfileParser = dockerfileAst.DockerfileParser;
/** The base class of every instruction (its prototype is what parser-speedups.ts patches). */
export const AstInstruction = dockerfileAst.Instruction;
/** An instruction argument (parser-speedups.ts builds them as the library's scan does). */
export const AstArgument = dockerfileAst.Argument;
