/**
 * Files through the runner: resolve settings and context per Dockerfile, read strictly, run,
 * diff, and (unless dry-run/check) write atomically. One file's failure never stops the batch.
 */
import * as path from 'node:path';
import {
  ConfigError,
  findConfigFile,
  loadConfigFile,
  resolveConfig,
  type DockerfixConfig,
} from './config.js';
import { nodeFs, type ContextSource, type TransformContext } from './context.js';
import { unifiedDiff } from './diff.js';
import {
  DEFAULT_MAX_BYTES,
  InputError,
  readDockerfile,
  TooLargeError,
  writeAtomic,
} from './files.js';
import { resolveContextRoot } from './model/build-context.js';
import { runTransforms, RUNNER_ID, type ReportedFinding } from './runner.js';
import type { Transform } from './transform.js';

export type Mode = 'fix' | 'dry-run' | 'check';

export interface BatchOptions {
  mode: Mode;
  transforms: Transform[];
  /** `--context DIR` */
  context?: string;
  /** `--config FILE`, already loaded */
  config?: { file: string; config: DockerfixConfig };
  maxBytes?: number;
  diffContext?: number;
  cwd?: string;
  /** `--safe-only`: apply only fixes marked safe, report the others as available. */
  safeOnly?: boolean;
}

export interface FileResult {
  /** Path as shown to the user (relative to the working directory). */
  path: string;
  changed: boolean;
  /** Written to disk (fix mode only). */
  written: boolean;
  findings: ReportedFinding[];
  /** Findings silenced by `# dockerfix-ignore` / `# dockerfix: skip=` (not counted). */
  suppressed?: ReportedFinding[];
  diff: string;
  context?: { root: string; source: ContextSource };
  /** A file that could not be processed: the one-line reason. Nothing was written. */
  error?: string;
  /** Output text (kept for stdin mode). */
  output?: string;
}

export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return (rel && !rel.startsWith('..') ? rel : file).split(path.sep).join('/');
}

/** Build the transform context for a Dockerfile at `file` (or stdin when null). */
export function contextFor(file: string | null, options: BatchOptions): TransformContext {
  const cwd = options.cwd ?? process.cwd();
  let configFile = options.config?.file ?? null;
  let config = options.config?.config ?? null;
  if (!config) {
    configFile = findConfigFile(file ? path.dirname(file) : cwd);
    config = configFile ? loadConfigFile(configFile) : null;
  }
  const resolved = resolveConfig(config, configFile, file);
  const root = resolveContextRoot(file, options.context, resolved, cwd);
  return {
    dockerfilePath: file,
    contextRoot: root.root,
    contextSource: root.source,
    config: resolved,
    fs: nodeFs,
  };
}

export function processText(
  text: string,
  file: string | null,
  shownPath: string,
  options: BatchOptions,
): FileResult {
  const ctx = contextFor(file, options);
  const result = runTransforms(text, options.transforms, ctx, { safeOnly: options.safeOnly });
  return {
    path: shownPath,
    changed: result.changed,
    written: false,
    findings: result.findings,
    ...(result.suppressed.length ? { suppressed: result.suppressed } : {}),
    diff: unifiedDiff(shownPath, text, result.text, { context: options.diffContext }),
    context: { root: ctx.contextRoot, source: ctx.contextSource },
    output: result.text,
  };
}

export function processFile(file: string, options: BatchOptions): FileResult {
  const shown = displayPath(file, options.cwd);
  try {
    const read = readDockerfile(file, options.maxBytes ?? DEFAULT_MAX_BYTES);
    const result = processText(read.text, file, shown, options);
    if (options.mode === 'fix' && result.changed) {
      writeAtomic(file, result.output!, read.bytes, read.mode);
      result.written = true;
    }
    delete result.output;
    return result;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof TooLargeError) {
      // Not read, not parsed, not written: a finding says so (a hang would be worse).
      const finding = { transform: RUNNER_ID, severity: 'warning' as const, line: 1, fixed: false };
      return {
        path: shown,
        changed: false,
        written: false,
        diff: '',
        findings: [{ ...finding, message }],
      };
    }
    const internal = !(e instanceof InputError) && !(e instanceof ConfigError);
    return {
      path: shown,
      changed: false,
      written: false,
      findings: [],
      diff: '',
      error: internal ? `internal error, file left unchanged: ${message}` : message,
    };
  }
}
