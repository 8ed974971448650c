/**
 * Files through the runner: resolve settings and context per Dockerfile, read strictly, run,
 * diff, and (unless dry-run/check) write atomically. One file's failure never stops the batch.
 */
import * as path from 'node:path';
import {
  configFileAt,
  ConfigError,
  findConfigFile,
  loadConfigFile,
  resolveConfig,
  type DockerfixConfig,
} from './config.js';
import * as fs from 'node:fs';
import {
  gitRootAt,
  nodeFs,
  type ContextFs,
  type ContextSource,
  type TransformContext,
} from './context.js';
import { nearestAncestor } from './ancestors.js';
import { unifiedDiff } from './diff.js';
import {
  DEFAULT_MAX_BYTES,
  InputError,
  readDockerfile,
  TooLargeError,
  writeAtomic,
} from './files.js';
import {
  composeFilesIn,
  resolveContextRoot,
  type ComposeText,
  type FolderProbe,
} from './model/build-context.js';
import { runTransforms, RUNNER_ID, type ReportedFinding } from './runner.js';
import type { Transform } from './transform.js';
import type { BuildOutcome } from './verify-build.js';

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
  /** `--fail-level`: the lowest severity of an unfixed finding that makes the exit code 1. */
  failLevel?: 'error' | 'warning' | 'info' | 'none';
  /** Per-batch memo of file-system lookups (see createBatchCache); per thread, never shared. */
  cache?: BatchCache;
}

/**
 * What one batch run may remember about the file system while it runs: Dockerfiles of a tree
 * share ancestor folders (config files, compose files, `.git`) and build-context files
 * (`.dockerignore`, COPY sources), so each is probed once per batch instead of once per file
 * or per transform. Bounded: cleared when it grows past `limit` entries, so memory stays flat
 * however many files the batch has. Only batches use it (processInOrder); a single call of
 * processFile/processText without it reads the disk every time, as before.
 */
export interface BatchCache {
  fs: ContextFs;
  probe: FolderProbe;
  configFile(dir: string): string | null;
  config(file: string): DockerfixConfig;
}

export function createBatchCache(limit = 20_000): BatchCache {
  // What a path is, not its fs.Stats (a few hundred bytes each): 0 missing, 1 file, 2 folder, 3 other.
  const kinds = new Map<string, number>();
  const lists = new Map<string, string[] | null>();
  const texts = new Map<string, string | null>();
  const gitRoots = new Map<string, string | null>();
  const configFiles = new Map<string, string | null>();
  const configs = new Map<string, DockerfixConfig>();
  const composeDirs = new Map<string, ComposeText[]>();
  // No memoised value is ever undefined, so one look-up tells a hit from a miss.
  const memo = <T extends object | string | number | null>(
    map: Map<string, T>,
    key: string,
    compute: () => T,
  ): T => {
    const known = map.get(key);
    if (known !== undefined) return known;
    if (map.size >= limit) map.clear();
    const value = compute();
    map.set(key, value);
    return value;
  };
  const kind = (p: string) =>
    memo(kinds, p, () => {
      try {
        const st = fs.statSync(p, { throwIfNoEntry: false });
        return !st ? 0 : st.isFile() ? 1 : st.isDirectory() ? 2 : 3;
      } catch {
        return 0;
      }
    });
  // File texts are few per batch (.dockerignore, requirements, compose files) but can be large.
  // A path that is missing or a folder cannot be read (null, as nodeFs.readText says after a
  // thrown ENOENT/EISDIR): answered from the memoised stat, without a throw or a texts entry.
  const readText = (p: string) => {
    const k = kind(p);
    if (k === 0 || k === 2) return null;
    if (!texts.has(p) && texts.size >= 1000) texts.clear();
    return memo(texts, p, () => nodeFs.readText(p));
  };
  // findGitRoot / findConfigFile walk up to `/`; Dockerfiles of a tree share their ancestors,
  // so each folder's answer (its own, else its parent's) is remembered.
  const gitRoot = (dir: string) =>
    nearestAncestor(dir, gitRootAt, (d, compute) => memo(gitRoots, d, compute));
  const configFile = (dir: string) =>
    nearestAncestor(dir, configFileAt, (d, compute) => memo(configFiles, d, compute));
  // Every Dockerfile below a folder looks there: probe its four compose names once. Texts are
  // held like `texts` (at most ~1,000), the empty answers of most folders like the rest.
  let composeTexts = 0;
  const composeFiles = (dir: string): ComposeText[] => {
    if (!composeDirs.has(dir) && composeTexts >= 1000) {
      composeDirs.clear();
      composeTexts = 0;
    }
    return memo(composeDirs, dir, () => {
      const found = composeFilesIn(dir, { gitRoot, readText });
      composeTexts += found.length;
      return found;
    });
  };
  const cachedFs: ContextFs = {
    stable: true,
    exists: (p) => kind(p) !== 0,
    isFile: (p) => kind(p) === 1,
    isDirectory: (p) => kind(p) === 2,
    // Lists are handed out as copies: callers sort them in place.
    list: (p) => memo(lists, p, () => nodeFs.list(p))?.slice() ?? null,
    readText,
  };
  return {
    fs: cachedFs,
    probe: {
      gitRoot,
      readText,
      composeFiles,
    },
    configFile,
    config: (file) => memo(configs, file, () => loadConfigFile(file)),
  };
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
  /** The build context root, where it came from, and the root as shown (relative to the cwd). */
  context?: { root: string; source: ContextSource; detail?: string; shown?: string };
  /** A file that could not be processed: the one-line reason. Nothing was written. */
  error?: string;
  /** Output text (kept for stdin mode). */
  output?: string;
  /** `--verify-build`: the real build of the fixed text. */
  build?: BuildOutcome;
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
  const cache = options.cache;
  if (!config) {
    const dir = file ? path.dirname(file) : cwd;
    configFile = cache ? cache.configFile(dir) : findConfigFile(dir);
    config = configFile ? (cache ? cache.config(configFile) : loadConfigFile(configFile)) : null;
  }
  const resolved = resolveConfig(config, configFile, file);
  const root = resolveContextRoot(file, options.context, resolved, cwd, cache?.probe);
  return {
    dockerfilePath: file,
    contextRoot: root.root,
    contextSource: root.source,
    ...(root.detail ? { contextDetail: root.detail } : {}),
    config: resolved,
    fs: cache?.fs ?? nodeFs,
  };
}

export function processText(
  text: string,
  file: string | null,
  shownPath: string,
  options: BatchOptions,
): FileResult {
  const ctx = { ...contextFor(file, options), originalText: text };
  const result = runTransforms(text, options.transforms, ctx, { safeOnly: options.safeOnly });
  return {
    path: shownPath,
    changed: result.changed,
    written: false,
    findings: result.findings,
    ...(result.suppressed.length ? { suppressed: result.suppressed } : {}),
    diff: unifiedDiff(shownPath, text, result.text, { context: options.diffContext }),
    context: {
      root: ctx.contextRoot,
      source: ctx.contextSource,
      detail: ctx.contextDetail,
      shown:
        path.resolve(ctx.contextRoot) === path.resolve(options.cwd ?? process.cwd())
          ? '.'
          : displayPath(ctx.contextRoot, options.cwd),
    },
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
