/**
 * Build-command co-rewrite: after dockerfix fixed a Dockerfile for the context root it resolved
 * (e.g. COPY paths rebased to the repository root), the commands that build that Dockerfile
 * must use that root as their context. This finds them in shell scripts, Makefiles, GitHub
 * Actions workflows, compose files and docker-bake.hcl, and fixes their context (and adds a
 * `-f` when the Dockerfile was implied) — or reports them when the fix is not certain.
 *
 * What is rewritten: an invocation whose Dockerfile is one this run processed, whose context
 * resolves to a directory other than that Dockerfile's context root, where every plain COPY/ADD
 * source of the fixed Dockerfile exists under the root and not all of them under the used
 * context (so the current command certainly fails). Only literal paths are rewritten; a
 * variable, an unknown working directory or an implied file in YAML is reported instead.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as YamlLibrary from 'yaml';
import type { Node, Scalar } from 'yaml';
import { lazy } from '../lazy.js';
import type { FileResult, Mode } from '../batch.js';
import { displayPath } from '../batch.js';
import { unifiedDiff } from '../diff.js';
import { applyEdits, locateEdit, type Edit } from '../edits.js';
import { InputError, writeAtomic } from '../files.js';
import { findGitRoot } from '../context.js';
import { lineIndexAt, parseDocument } from '../model/document.js';
import { lineStartsOf } from '../model/line-breaks.js';
import { copyInstructions } from '../model/copy-sources.js';
import type { ReportedFinding } from '../runner.js';
import type { Severity } from '../transform.js';
import { cdsBefore, findInvocations, type Word } from './shell.js';

/** The YAML parser, loaded when a compose file or workflow is actually read. */
const yaml = lazy<typeof YamlLibrary>('yaml');

/** The `transform` name of co-rewrite findings. */
export const COREWRITE_ID = 'build-command';

export interface BuiltDockerfile {
  /** Absolute path of the Dockerfile. */
  file: string;
  /** Absolute context root the fixed Dockerfile assumes. */
  root: string;
  /** The fixed text (what is, or would be, on disk after the run); computed when needed. */
  fixedText(): string;
}

export interface CoRewriteOptions {
  mode: Mode;
  cwd: string;
  /** Directories to search for build files (usually the Dockerfiles' context roots). */
  roots: string[];
}

export type BuildFileKind = 'shell' | 'make' | 'workflow' | 'compose' | 'bake';

const MAX_BUILD_FILE_BYTES = 1024 * 1024;
const MAX_FILES_SCANNED = 20000;
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'vendor', '.venv', '__pycache__']);

export function buildFileKind(rel: string): BuildFileKind | null {
  const base = path.posix.basename(rel);
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(rel)) return 'workflow';
  if (/^(docker-)?compose(\.[\w-]+)*\.ya?ml$/i.test(base)) return 'compose';
  if (/^docker-bake(\.[\w-]+)*\.hcl$/i.test(base)) return 'bake';
  if (/^(GNUmakefile|makefile|Makefile)$/.test(base) || /\.mk$/.test(base)) return 'make';
  if (/\.(sh|bash)$/.test(base)) return 'shell';
  return null;
}

let collatorCompare: Intl.Collator['compare'] | undefined;
/**
 * Same order as `localeCompare` (default locale), without building a collator per call. The
 * collator is built on first use: building it costs ~10 ms at start-up, and a walk that finds
 * fewer than two build files (most) never compares names.
 */
const byName = (a: string, b: string): number =>
  (collatorCompare ??= new Intl.Collator().compare)(a, b);
/** Names buildFileKind can accept (a cheap filter before paths are built). */
const MAYBE_BUILD_FILE = /\.(ya?ml|hcl|mk|sh|bash)$|^(GNUmakefile|makefile|Makefile)$/i;

/**
 * Build files under `root` (not under node_modules/.git/…): depth first, each folder's entries
 * in collator order, and the walk stops at its `limit`-th entry (every entry counts, build file
 * or not). A walk that never reaches the limit visits folders in listing order and puts the
 * files it found in walk order afterwards (see walkOrder); one that reaches it is repeated
 * entry by entry, sorted, which tells where exactly it stopped.
 */
export function findBuildFiles(root: string, limit = MAX_FILES_SCANNED): string[] {
  return findWithinLimit(root, limit) ?? findCountingEveryEntry(root, limit);
}

/** An entry the walk follows: a folder it descends into, or a file that may be a build file. */
function followed(e: fs.Dirent): boolean {
  return e.isDirectory() ? !SKIPPED_DIRS.has(e.name) : e.isFile() && MAYBE_BUILD_FILE.test(e.name);
}

function isBuildFile(root: string, full: string): boolean {
  return buildFileKind(path.relative(root, full).split(path.sep).join('/')) !== null;
}

/** An entry on the way down: its name, its index in its folder's listing, its folder's step. */
interface Step {
  name: string;
  index: number;
  up: Step | null;
}

/**
 * The walk when the folders under `root` hold at most `limit` entries in all, else null.
 * Paths are `path.join(dir, name)`, spelled as `dir + sep + name` below the root: a joined
 * path is already normalised, and an entry name is never `.`, `..` or holds a separator (a
 * cold path.join per folder costs more than the rest of the walk's own work).
 */
function findWithinLimit(root: string, limit: number): string[] | null {
  const found: { full: string; step: Step }[] = [];
  let seen = 0;
  const walk = (dir: string, join: (name: string) => string, up: Step | null): boolean => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return true;
    }
    seen += entries.length;
    if (seen > limit) return false;
    for (let index = 0; index < entries.length; index++) {
      const e = entries[index];
      if (!followed(e)) continue;
      const full = join(e.name);
      const step: Step = { name: e.name, index, up };
      if (!e.isDirectory()) {
        if (isBuildFile(root, full)) found.push({ full, step });
      } else if (!walk(full, (name) => full + path.sep + name, step)) return false;
    }
    return true;
  };
  if (!walk(root, (name) => path.join(root, name), null)) return null;
  if (found.length < 2) return found.map((f) => f.full);
  return found
    .map((f) => ({ full: f.full, steps: stepsDown(f.step) }))
    .sort((a, b) => walkOrder(a.steps, b.steps))
    .map((f) => f.full);
}

/** The steps from the root's listing down to `step`. */
function stepsDown(step: Step): Step[] {
  const out: Step[] = [];
  for (let s: Step | null = step; s; s = s.up) out.push(s);
  return out.reverse();
}

/**
 * Which of two found files the sorted walk reaches first: at the first folder where their
 * paths part (the first step that is not the same entry; a file is never on the way to
 * another), the entry first in that folder's stable sort: by name under the collator, and
 * for names it finds equal (é and e + U+0301), the one listed first.
 */
function walkOrder(a: Step[], b: Step[]): number {
  let i = 0;
  while (a[i] === b[i]) i++;
  return byName(a[i].name, b[i].name) || a[i].index - b[i].index;
}

/** The walk entry by entry, every entry sorted and counted, stopping after `limit` of them. */
function findCountingEveryEntry(root: string, limit: number): string[] {
  const out: string[] = [];
  let seen = 0;
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => byName(a.name, b.name))) {
      if (++seen > limit) return;
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) walk(path.join(dir, e.name));
      } else if (e.isFile() && MAYBE_BUILD_FILE.test(e.name)) {
        const full = path.join(dir, e.name);
        if (isBuildFile(root, full)) out.push(full);
      }
    }
  };
  walk(root);
  return out;
}

interface Judged {
  edits: Edit[];
  finding: { severity: Severity; offset: number; message: string; fixed: boolean } | null;
}

/** Plain context sources of a Dockerfile text (no --from, no URL, heredoc or variable). */
function contextSources(text: string): string[] {
  const doc = parseDocument(text);
  const out: string[] = [];
  for (const c of copyInstructions(doc)) {
    if (c.from !== null) continue;
    for (const s of c.sources) {
      if (s.remote || s.heredoc || s.variable) continue;
      // A glob: its directory part must exist.
      const value = s.glob ? s.value.slice(0, s.value.search(/[*?[]/)) : s.value;
      const clean = value.replace(/^\/+/, '');
      out.push(s.glob ? path.posix.dirname(clean + 'x') : clean);
    }
  }
  return out;
}

const sourceCache = new WeakMap<BuiltDockerfile, string[]>();

/** Whether the fixed Dockerfile certainly needs its root, and certainly fails with `dir`. */
function needsRoot(target: BuiltDockerfile, dir: string): boolean {
  let sources = sourceCache.get(target);
  if (!sources) {
    sources = contextSources(target.fixedText());
    sourceCache.set(target, sources);
  }
  if (sources.length === 0) return false;
  const all = (base: string) => sources!.every((s) => fs.existsSync(path.join(base, s)));
  return all(target.root) && !all(dir);
}

function rel(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join('/') || '.';
}

/** A path as a shell word, in the quoting the original word used when it can. */
function shellWord(value: string, original: string): string {
  const quote = original.startsWith("'") ? "'" : original.startsWith('"') ? '"' : '';
  if (quote) return `${quote}${value}${quote}`;
  return /^[\w./@%+=:,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * One shell invocation, run from `cwd`: null when it does not build a Dockerfile of this run,
 * else the edits (maybe none) and the finding.
 */
function judgeShell(
  text: string,
  cwd: string,
  file: Word | null,
  context: Word | null,
  uncertain: boolean,
  targets: BuiltDockerfile[],
  at: number,
): Judged | null {
  if (!context || context.value === '-' || /^[a-z]+:\/\//i.test(context.value)) return null;
  if (file?.dynamic || context.dynamic) {
    // The Dockerfile may still be recognised by its literal file name.
    const literal = file && !file.dynamic ? path.resolve(cwd, file.value) : null;
    const target = literal ? targets.find((t) => t.file === literal) : undefined;
    if (!target) return null;
    return {
      edits: [],
      finding: {
        severity: 'warning',
        offset: at,
        fixed: false,
        message: `builds ${rel(target.root, target.file)} with a context given by a variable; the fixed Dockerfile needs the context ${rel(cwd, target.root)} (not rewritten)`,
      },
    };
  }
  const contextDir = path.resolve(cwd, context.value);
  const dockerfile = file ? path.resolve(cwd, file.value) : path.join(contextDir, 'Dockerfile');
  const target = targets.find((t) => t.file === dockerfile);
  if (!target || contextDir === target.root || !needsRoot(target, contextDir)) return null;
  const newContext = rel(cwd, target.root);
  const fromRoot = rel(target.root, target.file);
  if (uncertain) {
    return {
      edits: [],
      finding: {
        severity: 'warning',
        offset: at,
        fixed: false,
        message: `builds ${fromRoot} with context ${context.value}; it needs context ${newContext} (options not understood: not rewritten)`,
      },
    };
  }
  const raw = text.slice(context.start, context.end);
  const edits: Edit[] = [
    { start: context.start, end: context.end, text: shellWord(newContext, raw) },
  ];
  if (!file) {
    edits.unshift({
      start: context.start,
      end: context.start,
      text: `-f ${shellWord(rel(cwd, target.file), '')} `,
    });
  }
  return {
    edits,
    finding: contextFixed(at, fromRoot, context.value, newContext),
  };
}

/** The finding of a build command whose context argument was set to the Dockerfile's root. */
function contextFixed(
  at: number,
  fromRoot: string,
  oldContext: string,
  newContext: string,
): NonNullable<Judged['finding']> {
  return {
    severity: 'error',
    offset: at,
    fixed: true,
    message: `builds ${fromRoot} with context ${oldContext}, which lacks its COPY sources (they are relative to its context root): context set to ${newContext}`,
  };
}

/** Invocations in shell text between `from` and `to`, each run from the working dir `base`. */
function scanShell(
  text: string,
  from: number,
  to: number,
  bases: string[],
  carry: boolean,
  scriptDir: string,
  targets: BuiltDockerfile[],
): Judged[] {
  const out: Judged[] = [];
  for (const inv of findInvocations(text, from, to)) {
    const cds = cdsBefore(text, from, inv.start, carry);
    const candidates = new Map<string, Judged | null>();
    let unknown = false;
    for (const base of bases) {
      let cwd = base;
      for (const cd of cds) {
        if (/^"?\$\(dirname "?\$(0|\{BASH_SOURCE(\[0\])?\})"?\)"?$/.test(cd.value)) cwd = scriptDir;
        else if (cd.dynamic) unknown = true;
        else cwd = path.resolve(cwd, cd.value);
      }
      candidates.set(
        cwd,
        unknown
          ? null
          : judgeShell(text, cwd, inv.file, inv.context, inv.uncertain, targets, inv.start),
      );
    }
    const judged = [...candidates.values()].filter((j): j is Judged => j !== null);
    if (judged.length === 0) continue;
    const first = JSON.stringify(judged[0].edits);
    if (judged.length > 1 && judged.some((j) => JSON.stringify(j.edits) !== first)) {
      out.push({
        edits: [],
        finding: {
          severity: 'warning',
          offset: inv.start,
          fixed: false,
          message: `builds a Dockerfile dockerfix fixed, but the working directory of this script is unknown; check its context (not rewritten)`,
        },
      });
      continue;
    }
    out.push(judged[0]);
  }
  return out;
}

function scalarText(node: Scalar, value: string, text: string): string {
  const raw = text.slice(node.range![0], node.range![1]);
  if (raw.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  if (raw.startsWith('"')) return JSON.stringify(value);
  return /^[\w./-]+$/.test(value) ? value : JSON.stringify(value);
}

/**
 * A `context` / `dockerfile` pair in YAML or HCL, both relative the Compose/Bake way: context
 * from `base`, dockerfile from the context.
 */
function judgePair(
  base: string,
  context: { value: string; start: number; end: number; write: (v: string) => string } | null,
  dockerfile: { value: string; start: number; end: number; write: (v: string) => string } | null,
  targets: BuiltDockerfile[],
  at: number,
  dockerfileFromCwd = false,
): Judged | null {
  if (!context || /\$|:\/\//.test(context.value) || /\$/.test(dockerfile?.value ?? '')) return null;
  const contextDir = path.resolve(base, context.value);
  const file = dockerfile
    ? path.resolve(dockerfileFromCwd ? base : contextDir, dockerfile.value)
    : path.join(contextDir, 'Dockerfile');
  const target = targets.find((t) => t.file === file);
  if (!target || contextDir === target.root || !needsRoot(target, contextDir)) return null;
  const newContext = rel(base, target.root);
  const fromRoot = rel(target.root, target.file);
  if (!dockerfile) {
    return {
      edits: [],
      finding: {
        severity: 'error',
        offset: at,
        fixed: false,
        message: `builds ${fromRoot} with context ${context.value}, but it needs context ${newContext} with dockerfile ${fromRoot} (not rewritten: add the dockerfile key)`,
      },
    };
  }
  const edits: Edit[] = [
    { start: context.start, end: context.end, text: context.write(newContext) },
  ];
  if (!dockerfileFromCwd) {
    edits.push({ start: dockerfile.start, end: dockerfile.end, text: dockerfile.write(fromRoot) });
  }
  return {
    edits,
    finding: contextFixed(at, fromRoot, context.value, newContext),
  };
}

function yamlField(node: unknown, text: string) {
  if (!yaml().isScalar(node) || !node.range || typeof node.value !== 'string') return null;
  const n = node as Scalar;
  if (n.type !== 'PLAIN' && n.type !== 'QUOTE_DOUBLE' && n.type !== 'QUOTE_SINGLE') return null;
  return {
    value: String(n.value),
    start: n.range![0],
    end: n.range![1],
    write: (v: string) => scalarText(n, v, text),
  };
}

function scanCompose(text: string, dir: string, targets: BuiltDockerfile[]): Judged[] {
  const doc = yaml().parseDocument(text);
  const services = doc.get('services', true);
  if (!yaml().isMap(services)) return [];
  const out: Judged[] = [];
  for (const item of services.items) {
    const build: unknown = yaml().isMap(item.value) ? item.value.get('build', true) : null;
    if (!build) continue;
    const at = (build as Node).range?.[0] ?? 0;
    let judged: Judged | null;
    if (yaml().isScalar(build)) judged = judgePair(dir, yamlField(build, text), null, targets, at);
    else if (yaml().isMap(build)) {
      judged = judgePair(
        dir,
        yamlField(build.get('context', true), text),
        yamlField(build.get('dockerfile', true), text),
        targets,
        at,
      );
    } else judged = null;
    if (judged) out.push(judged);
  }
  return out;
}

function scanWorkflow(
  text: string,
  repoRoot: string,
  file: string,
  targets: BuiltDockerfile[],
): Judged[] {
  const doc = yaml().parseDocument(text);
  const jobs = doc.get('jobs', true);
  if (!yaml().isMap(jobs)) return [];
  const out: Judged[] = [];
  for (const job of jobs.items) {
    if (!yaml().isMap(job.value)) continue;
    const defaultsDir = job.value.getIn(['defaults', 'run', 'working-directory']);
    const steps = job.value.get('steps', true);
    if (!yaml().isSeq(steps)) continue;
    for (const step of steps.items) {
      if (!yaml().isMap(step)) continue;
      const dir = step.get('working-directory') ?? defaultsDir;
      // No working-directory: the workspace (repository root); an expression: unknown.
      const cwd =
        dir === undefined || dir === null
          ? repoRoot
          : typeof dir === 'string' && !dir.includes('$')
            ? path.resolve(repoRoot, dir)
            : null;
      const run = step.get('run', true);
      if (
        yaml().isScalar(run) &&
        run.range &&
        (run.type === 'PLAIN' || run.type === 'BLOCK_LITERAL')
      ) {
        if (cwd)
          out.push(
            ...scanShell(
              text,
              run.range[0],
              run.range[1],
              [cwd],
              true,
              path.dirname(file),
              targets,
            ),
          );
      }
      const uses = step.get('uses');
      if (typeof uses === 'string' && /^docker\/build-push-action@/.test(uses)) {
        const w = step.get('with', true);
        if (!yaml().isMap(w)) continue;
        const judged = judgePair(
          repoRoot,
          yamlField(w.get('context', true), text),
          yamlField(w.get('file', true), text),
          targets,
          step.range?.[0] ?? 0,
          true,
        );
        if (judged) out.push(judged);
      }
    }
  }
  return out;
}

function scanBake(text: string, dir: string, targets: BuiltDockerfile[]): Judged[] {
  const out: Judged[] = [];
  const TARGET = /^[ \t]*target[ \t]+"[^"]*"[ \t]*\{/gm;
  let m: RegExpExecArray | null;
  while ((m = TARGET.exec(text)) !== null) {
    let depth = 0;
    let end = m.index + m[0].length - 1;
    for (; end < text.length; end++) {
      if (text[end] === '{') depth++;
      else if (text[end] === '}' && --depth === 0) break;
    }
    const body = text.slice(m.index, end);
    const field = (key: string) => {
      const f = new RegExp(`^[ \\t]*${key}[ \\t]*=[ \\t]*("(?:[^"\\\\\\r\\n]|\\\\.)*")`, 'm').exec(
        body,
      );
      if (!f) return null;
      const start = m!.index + f.index + f[0].length - f[1].length;
      return {
        value: JSON.parse(f[1]) as string,
        start,
        end: start + f[1].length,
        write: (v: string) => JSON.stringify(v),
      };
    };
    const judged = judgePair(dir, field('context'), field('dockerfile'), targets, m.index);
    if (judged) out.push(judged);
  }
  return out;
}

/** Findings and edits for one build file. */
export function analyseBuildFile(
  file: string,
  kind: BuildFileKind,
  text: string,
  targets: BuiltDockerfile[],
  repoRoot: string,
): Judged[] {
  const dir = path.dirname(file);
  switch (kind) {
    case 'make':
      return scanShell(text, 0, text.length, [dir], false, dir, targets);
    case 'shell': {
      const bases = [...new Set([repoRoot, dir])];
      return scanShell(text, 0, text.length, bases, true, dir, targets);
    }
    case 'workflow': {
      // <repo>/.github/workflows/x.yml: steps run in the repository root.
      return scanWorkflow(text, path.resolve(dir, '..', '..'), file, targets);
    }
    case 'compose':
      return scanCompose(text, dir, targets);
    case 'bake':
      return scanBake(text, dir, targets);
  }
}

/** Co-rewrite the build files under the roots: one FileResult per file with a finding. */
export function coRewrite(targets: BuiltDockerfile[], options: CoRewriteOptions): FileResult[] {
  if (targets.length === 0) return [];
  const results: FileResult[] = [];
  const seen = new Set<string>();
  for (const root of options.roots) {
    for (const file of findBuildFiles(root)) {
      if (seen.has(file)) continue;
      seen.add(file);
      const kind = buildFileKind(path.relative(root, file).split(path.sep).join('/'))!;
      const r = processBuildFile(
        file,
        kind,
        targets,
        options,
        findGitRoot(path.dirname(file)) ?? root,
      );
      if (r) results.push(r);
    }
  }
  return results;
}

export function processBuildFile(
  file: string,
  kind: BuildFileKind,
  targets: BuiltDockerfile[],
  options: CoRewriteOptions,
  repoRoot: string,
): FileResult | null {
  const shown = displayPath(file, options.cwd);
  let bytes: Buffer;
  let mode: number;
  try {
    const stat = fs.statSync(file);
    if (stat.size > MAX_BUILD_FILE_BYTES) return null;
    mode = stat.mode & 0o7777;
    bytes = fs.readFileSync(file);
  } catch {
    return null;
  }
  if (bytes.includes(0)) return null;
  const text = bytes.toString('utf8');
  let judged: Judged[];
  try {
    judged = analyseBuildFile(file, kind, text, targets, repoRoot);
  } catch {
    return null; // a file this reader cannot follow is left alone
  }
  if (judged.length === 0) return null;
  const edits = judged.flatMap((j) => j.edits);
  const output = edits.length ? applyEdits(text, edits) : text;
  const lineStarts = lineStartsOf(text);
  const findings: ReportedFinding[] = judged
    .filter((j) => j.finding)
    .map((j) => {
      const line = lineIndexAt(lineStarts, j.finding!.offset) + 1;
      return {
        transform: COREWRITE_ID,
        severity: j.finding!.severity,
        message: j.finding!.message,
        fixed: j.finding!.fixed,
        line,
        originalLine: line,
        ...(j.edits.length ? { originalEdits: j.edits.map((e) => locateEdit(e, lineStarts)) } : {}),
      };
    });
  const result: FileResult = {
    path: shown,
    changed: output !== text,
    written: false,
    findings,
    diff: unifiedDiff(shown, text, output),
  };
  if (options.mode === 'fix' && result.changed) {
    try {
      writeAtomic(file, output, bytes, mode);
      result.written = true;
    } catch (e) {
      result.error = e instanceof InputError ? e.message : String(e);
    }
  }
  return result;
}
