/**
 * Where each build-context COPY/ADD source really is: under the context root (what Docker reads),
 * only next to the Dockerfile (the log's COPY errors: a path written relative to the Dockerfile's
 * folder while the context is the repository root), or nowhere. Globs are matched segment by
 * segment as Docker's filepath.Match does (`*` never crosses `/`; `**` spans folders).
 * `--from` copies, remote ADD sources, heredocs and sources with variables are skipped.
 */
import * as path from 'node:path';
import type Picomatch from 'picomatch';
import type { ContextFs, TransformContext } from '../context.js';
import type { DockerDoc } from './document.js';
import type { Finding } from '../transform.js';
import { replaceRange } from '../edits.js';
import {
  copyInstructions,
  sourceText,
  type CopyInstruction,
  type CopySource,
} from './copy-sources.js';
import { dockerignoreFor, type DockerignoreView } from './dockerignore.js';
import { ParseMemo } from './parse-cache.js';
import { lazy } from '../lazy.js';

/** The glob matcher, loaded when a source has a glob segment to match. */
const picomatch = lazy<typeof Picomatch>('picomatch');

export type SourceStatus = 'found' | 'rebase' | 'missing';

export interface SourceCheck {
  copy: CopyInstruction;
  source: CopySource;
  status: SourceStatus;
  /** What the source names: a directory (any match is one), a file, or unknown (missing). */
  isDirectory: boolean | null;
  /** For `rebase`: the value to write (context-root relative, trailing slash kept). */
  rebased?: string;
  /** Context-root-relative path the source resolves to (`found`) or will resolve to (`rebase`). */
  rootPath?: string;
  /** `rootPath` (or all of its matches) is excluded by .dockerignore. */
  ignored: boolean;
  /** For `missing`: why it cannot be rebased, when that is the reason. */
  note?: string;
}

export interface ContextSources {
  /** The Dockerfile's folder relative to the context root ('' when it is the root, null when outside). */
  dockerfileDir: string | null;
  dockerignore: DockerignoreView;
  checks: SourceCheck[];
}

/** Every checkable context source of the document, with where it is. */
export function contextSources(doc: DockerDoc, ctx: TransformContext): ContextSources {
  // 03, 04 and 20 ask for the same document (unless one of them changed it): check it once.
  return sourcesMemo.get(doc, ctx, () => checkContextSources(doc, ctx));
}

const sourcesMemo = new ParseMemo<DockerDoc, ContextSources>();

function checkContextSources(doc: DockerDoc, ctx: TransformContext): ContextSources {
  const dockerignore = dockerignoreFor(ctx);
  const dockerfileDir = dockerfileDirFromRoot(ctx);
  const checks: SourceCheck[] = [];
  for (const copy of copyInstructions(doc)) {
    if (copy.from !== null || copy.heredoc) continue;
    for (const source of copy.sources) {
      if (source.remote || source.variable || source.heredoc) continue;
      checks.push(checkSource(ctx, copy, source, dockerfileDir, dockerignore));
    }
  }
  return { dockerfileDir, dockerignore, checks };
}

function dockerfileDirFromRoot(ctx: TransformContext): string | null {
  if (!ctx.dockerfilePath) return '';
  const rel = path.relative(ctx.contextRoot, path.dirname(ctx.dockerfilePath));
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  // Already forward slashes where the separator is `/`: no split and join.
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

/** A source as a context-root-relative path: leading `/` and `./` dropped, `..` clamped away. */
export function cleanSource(value: string): string {
  const norm = path.posix.normalize(value.replace(/\/\.\//g, '/'));
  return (
    norm
      .replace(/^(\.\.?\/)+/, '')
      .replace(/^\/+/, '')
      .replace(/\/+$/, '') || '.'
  );
}

function checkSource(
  ctx: TransformContext,
  copy: CopyInstruction,
  source: CopySource,
  dockerfileDir: string | null,
  ignore: DockerignoreView,
): SourceCheck {
  const rel = cleanSource(source.value);
  const atRoot = matchPaths(ctx.fs, ctx.contextRoot, rel);
  if (atRoot.length > 0) {
    return {
      copy,
      source,
      status: 'found',
      isDirectory: atRoot.some((m) => m.isDirectory),
      rootPath: rel,
      ignored: atRoot.every((m) => ignore.ignores(m.path)),
    };
  }
  const missing = (note?: string): SourceCheck => ({
    copy,
    source,
    status: 'missing',
    isDirectory: source.value.endsWith('/') ? true : null,
    ignored: false,
    note,
  });
  if (dockerfileDir === null || !ctx.dockerfilePath) {
    return missing('the Dockerfile is outside the build context');
  }
  if (dockerfileDir === '') return missing();
  const nextTo = matchPaths(ctx.fs, path.dirname(ctx.dockerfilePath), rel);
  if (nextTo.length === 0) return missing();
  const rootPath = path.posix.join(dockerfileDir, rel);
  return {
    copy,
    source,
    status: 'rebase',
    isDirectory: nextTo.some((m) => m.isDirectory),
    rebased: rebaseValue(source.value, dockerfileDir, copy.parents),
    rootPath,
    ignored: nextTo.every((m) => ignore.ignores(path.posix.join(dockerfileDir, m.path))),
  };
}

/**
 * `controller/` → `infrastructure/service-mesh/controller/`: the Dockerfile's folder in front,
 * trailing slash and leading `/` kept, a leading `./` dropped. With `--parents` the
 * folder goes before a `./` pivot so that the copied tree keeps its old shape.
 */
export function rebaseValue(value: string, dockerfileDir: string, parents: boolean): string {
  const lead = value.startsWith('/') ? '/' : '';
  let rest = value.replace(/^\/+/, '');
  rest = rest.replace(/^(\.\/)+/, '');
  if (parents && !/(^|\/)\.\//.test(rest)) return `${lead}${dockerfileDir}/./${rest}`;
  return `${lead}${dockerfileDir}/${rest}`;
}

export interface PathMatch {
  /** Path relative to the base folder, forward slashes. */
  path: string;
  isDirectory: boolean;
}

const GLOB = /[*?[]/;
/** Patterns whose matches a stable view remembers before it starts afresh. */
const MAX_MEMOISED_PATTERNS = 2_000;

/** Paths under `base` matching a relative pattern (a plain path: itself, when it exists). */
export function matchPaths(fs: ContextFs, base: string, pattern: string): PathMatch[] {
  // 01, 03/04 and 20 match the same sources, again after each re-parse; a stable view gives
  // the same answer every time, so walk once per view. The reuse is within one Dockerfile (its
  // folder is the base), so a small bound keeps it and keeps a long batch's memory flat.
  if (!fs.stable) return walkPaths(fs, base, pattern);
  let memo = matchCache.get(fs);
  if (!memo || memo.size >= MAX_MEMOISED_PATTERNS) {
    memo = { size: 0, byBase: new Map() };
    matchCache.set(fs, memo);
  }
  let byPattern = memo.byBase.get(base);
  if (!byPattern) {
    byPattern = new Map();
    memo.byBase.set(base, byPattern);
  }
  let found = byPattern.get(pattern);
  if (!found) {
    found = walkPaths(fs, base, pattern);
    byPattern.set(pattern, found);
    memo.size++;
  }
  return found.slice();
}

const matchCache = new WeakMap<
  ContextFs,
  { size: number; byBase: Map<string, Map<string, PathMatch[]>> }
>();

function walkPaths(fs: ContextFs, base: string, pattern: string): PathMatch[] {
  if (pattern === '.') return fs.isDirectory(base) ? [{ path: '.', isDirectory: true }] : [];
  const segments = pattern.split('/');
  if (!GLOB.test(pattern) && segments.length < 10_000) return plainPath(fs, base, segments);
  const out: PathMatch[] = [];
  const walk = (dir: string, rel: string, i: number, budget: { n: number }) => {
    if (budget.n-- <= 0) return;
    if (i === segments.length) {
      const abs = rel ? path.join(base, rel) : base;
      if (fs.exists(abs)) out.push({ path: rel, isDirectory: fs.isDirectory(abs) });
      return;
    }
    const seg = segments[i];
    const join = (name: string) => (rel ? `${rel}/${name}` : name);
    if (!GLOB.test(seg)) {
      const next = path.join(dir, seg);
      if (i === segments.length - 1 || fs.isDirectory(next)) {
        if (fs.exists(next)) walk(next, join(seg), i + 1, budget);
      }
      return;
    }
    const entries = fs.list(dir);
    if (!entries) return;
    if (seg === '**') {
      walk(dir, rel, i + 1, budget); // zero folders
      for (const name of entries.sort()) {
        const abs = path.join(dir, name);
        if (fs.isDirectory(abs)) walk(abs, join(name), i, budget);
      }
      return;
    }
    const isMatch = picomatch()(seg, { dot: true });
    for (const name of entries.sort()) {
      if (!isMatch(name)) continue;
      const abs = path.join(dir, name);
      if (i < segments.length - 1 && !fs.isDirectory(abs)) continue;
      walk(abs, join(name), i + 1, budget);
    }
  };
  walk(base, '', 0, { n: 20000 });
  // `**` can reach the same path twice.
  const seen = new Set<string>();
  return out.filter((m) => !seen.has(m.path) && seen.add(m.path));
}

/**
 * walkPaths for a pattern without glob characters, without the recursion: the same questions
 * (every folder on the way is a directory that exists, the last one exists) on the same paths
 * (path.join of the segments one by one), each asked once; the match is the pattern itself.
 */
function plainPath(fs: ContextFs, base: string, segments: string[]): PathMatch[] {
  let abs = base;
  let rel = '';
  const last = segments.length - 1;
  for (let i = 0; i <= last; i++) {
    abs = path.join(abs, segments[i]);
    if (i < last && !fs.isDirectory(abs)) return [];
    if (!fs.exists(abs)) return [];
    rel = rel ? `${rel}/${segments[i]}` : segments[i];
  }
  // walkPaths looks at the match again from `base` (the same path for a clean pattern).
  const found = rel ? path.join(base, rel) : base;
  if (found !== abs && !fs.exists(found)) return [];
  return [{ path: rel, isDirectory: fs.isDirectory(found) }];
}

/**
 * Findings of 03 (directory sources) and 04 (file sources): rebase a source that only exists
 * next to the Dockerfile; an error for one that exists nowhere, and for a rebased path that
 * .dockerignore leaves out of the context.
 */
export function rebaseFindings(
  doc: DockerDoc,
  ctx: TransformContext,
  kind: 'directory' | 'file',
): Finding[] {
  const { checks, dockerignore } = contextSources(doc, ctx);
  const findings: Finding[] = [];
  for (const check of checks) {
    const { copy, source } = check;
    const kw = copy.instruction.getInstruction();
    const isDir = check.isDirectory === true;
    if (isDir !== (kind === 'directory')) continue;
    if (check.status === 'missing') {
      findings.push({
        severity: 'error',
        offset: source.start,
        message:
          `${kw} source "${source.value}" exists neither in the build context nor next to the ` +
          `Dockerfile${check.note ? ` (${check.note})` : ''}: the build fails with "not found"`,
      });
      continue;
    }
    if (check.status !== 'rebase') continue;
    // A shell-form word with escapes or quotes is not its value: leave it to the user.
    const plain = copy.json || doc.slice(source.start, source.end) === source.value;
    const text =
      plain && !/["'`\\$]/.test(check.rebased!) ? sourceText(copy, check.rebased!) : null;
    findings.push({
      severity: 'error',
      offset: source.start,
      message:
        `${kw} source "${source.value}" is not in the build context; it is next to the Dockerfile: ` +
        `use the path from the context root, "${check.rebased}"` +
        (text === null ? ' (not rewritten: blanks, quotes or escapes in a shell-form path)' : ''),
      edits: text === null ? undefined : [replaceRange(source.start, source.end, text)],
    });
    if (check.ignored) {
      findings.push({
        severity: 'error',
        offset: source.start,
        message:
          `"${check.rootPath}" is excluded by ${path.basename(dockerignore.file ?? '.dockerignore')}: ` +
          'the build context will not contain it; add an exception (!pattern) or remove the pattern',
      });
    }
  }
  return findings;
}
