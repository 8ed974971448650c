/**
 * What a transform may know about the world around the Dockerfile: its path, the build
 * context root, the settings, and a read-only view of the file system.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedConfig } from './config.js';
import { DEFAULT_CONFIG } from './config.js';
import type { DockerDoc } from './model/document.js';
import { nearestAncestor } from './ancestors.js';

/** Read-only file-system view handed to transforms (they never write). */
export interface ContextFs {
  exists(absPath: string): boolean;
  isFile(absPath: string): boolean;
  isDirectory(absPath: string): boolean;
  /** UTF-8 text of a file, or null when it cannot be read. */
  readText(absPath: string): string | null;
  /** Entry names of a directory, or null when it is not one. */
  list(absPath: string): string[] | null;
  /**
   * The answers never change while this object lives (a batch's memoising view): what is
   * derived from them alone (matchPaths) may be remembered per object. Absent: ask every time.
   */
  readonly stable?: boolean;
}

export type ContextSource = 'flag' | 'config' | 'compose' | 'git' | 'cwd' | 'fixture';

export interface TransformContext {
  /** Absolute path of the Dockerfile, or null when read from stdin. */
  dockerfilePath: string | null;
  /** Absolute path of the build context root. */
  contextRoot: string;
  /** Where the context root came from. */
  contextSource: ContextSource;
  /** Where exactly (the config file, `compose.yaml (service api)`, the `.git` folder), if known. */
  contextDetail?: string;
  config: ResolvedConfig;
  fs: ContextFs;
  /**
   * The file's text as read, before any transform ran. For a transform that needs a fact an
   * earlier transform rewrites (12: the final stage's pinned platform, which 08 replaces).
   */
  originalText?: string;
  /** The runner's parse of `originalText` (set by the runner), so a transform need not parse it again. */
  originalDoc?: DockerDoc;
}

export const nodeFs: ContextFs = {
  exists: (p) => fs.existsSync(p),
  isFile: (p) => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  },
  isDirectory: (p) => {
    try {
      return fs.statSync(p).isDirectory();
    } catch {
      return false;
    }
  },
  readText: (p) => {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch {
      return null;
    }
  },
  list: (p) => {
    try {
      return fs.readdirSync(p);
    } catch {
      return null;
    }
  },
};

/** Nearest ancestor of `dir` (itself included) holding `.git`, or null. */
export function findGitRoot(dir: string): string | null {
  return nearestAncestor(dir, gitRootAt);
}

/** `folder` when it holds `.git` (a repository's root), else null. */
export function gitRootAt(folder: string): string | null {
  return fs.existsSync(path.join(folder, '.git')) ? folder : null;
}

/** A context for code that has no file around it (stdin, unit tests). */
export function defaultContext(overrides: Partial<TransformContext> = {}): TransformContext {
  return {
    dockerfilePath: null,
    contextRoot: process.cwd(),
    contextSource: 'cwd',
    config: { ...DEFAULT_CONFIG },
    fs: nodeFs,
    ...overrides,
  };
}

/**
 * The Dockerfile's path relative to the context root, with forward slashes: `path.relative`,
 * answered without it in the usual case (asked per file by 12 and 18): on POSIX, a resolved
 * Dockerfile path inside a resolved root is relative to it by its remaining segments.
 */
export function dockerfileFromRoot(ctx: TransformContext): string | null {
  const file = ctx.dockerfilePath;
  if (!file) return null;
  const root = ctx.contextRoot;
  if (path.sep === '/' && isResolvedPosix(root) && isResolvedPosix(file)) {
    const prefix = root === '/' ? '/' : `${root}/`;
    if (file.length > prefix.length && file.startsWith(prefix)) return file.slice(prefix.length);
  }
  return path.relative(root, file).split(path.sep).join('/');
}

/** An absolute POSIX path path.resolve keeps as is: no `//`, `.` or `..` segment, no final `/`. */
function isResolvedPosix(p: string): boolean {
  return (
    p.startsWith('/') &&
    !p.includes('//') &&
    !/\/\.\.?(\/|$)/.test(p) &&
    (p.length === 1 || !p.endsWith('/'))
  );
}
