/**
 * The log's marker-file copy pattern: names, contents, and how to recognise marker writes.
 *
 * - prefix: config `markerPrefix`, else `<REPO>_<DIR>_<SUFFIX>` upper-snake-cased from the
 *   context root's folder name, the folder holding the Dockerfile and the Dockerfile's suffix
 *   (`Dockerfile.controller` → CONTROLLER, `api.Dockerfile` → API), each left out when empty or
 *   repeated (log: `lucid` + `infrastructure/service-mesh/Dockerfile.controller` →
 *   `LUCID_SERVICE_MESH_CONTROLLER`).
 * - file names: `.<repo>-source-marker` in the app package directory, `.<repo>-<dir>-marker` in
 *   every other copied source directory, `.<repo>-marker` in site-packages and the scripts dir.
 * - content: `<PREFIX>_<KIND>_$(date +%s)` — never an empty file.
 */
import * as path from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import type { DockerDoc } from './document.js';
import type { Stage } from './stages.js';
import type { TransformContext } from '../context.js';
import { isJsonForm } from './variables.js';
import { findAppModule } from './app.js';
import { envAt, homeOf, isRootUser, lastUserInstruction, pythonOf, userAt } from './python.js';
import { ParseCache, ParseMemo } from './parse-cache.js';

export interface MarkerNames {
  /** Upper-snake prefix of marker contents, e.g. `LUCID_SERVICE_MESH_CONTROLLER`. */
  prefix: string;
  /** Lower-kebab repository name used in marker file names, e.g. `lucid`. */
  repo: string;
  /** `.<repo>-source-marker`: the app package directory's marker. */
  sourceMarker: string;
  /** `.<repo>-marker`: site-packages and scripts-dir marker. */
  packageMarker: string;
  /** `.<repo>-<dir>-marker` for another copied source directory (by its folder name). */
  dirMarker(dirName: string): string;
  /** `<PREFIX>_<KIND>_$(date +%s)` (shell text, to be double-quoted). */
  content(kind: string): string;
}

/** Words of a name, for upper-snake / lower-kebab casing (`serviceMesh`, `service-mesh` → service, mesh). */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

export function upperSnake(name: string): string {
  return cased(upperSnakeCache, name, () => words(name).join('_').toUpperCase());
}

export function lowerKebab(name: string): string {
  return cased(lowerKebabCache, name, () => words(name).join('-'));
}

/**
 * The casings are asked with the same few names (context root and Dockerfile folders) for
 * every file of a batch: remember them (pure functions of the name; bounded).
 */
function cased(cache: Map<string, string>, name: string, compute: () => string): string {
  let value = cache.get(name);
  if (value === undefined) {
    if (cache.size >= 1000) cache.clear();
    value = compute();
    cache.set(name, value);
  }
  return value;
}

const upperSnakeCache = new Map<string, string>();
const lowerKebabCache = new Map<string, string>();

/** `Dockerfile.controller` → `controller`, `api.Dockerfile` → `api`, `Dockerfile` → ``. */
export function dockerfileSuffix(fileName: string): string {
  const m =
    /^(?:dockerfile|containerfile)[._-](.+)$/i.exec(fileName) ??
    /^(.+)[._-](?:dockerfile|containerfile)$/i.exec(fileName);
  return m ? m[1] : '';
}

/** The derived prefix parts: repo, Dockerfile folder, suffix — empty and repeated parts left out. */
export function derivedPrefixParts(contextRoot: string, dockerfilePath: string | null): string[] {
  const raw = [path.basename(path.resolve(contextRoot))];
  if (dockerfilePath) {
    raw.push(path.basename(path.dirname(path.resolve(dockerfilePath))));
    raw.push(dockerfileSuffix(path.basename(dockerfilePath)));
  }
  const parts: string[] = [];
  for (const r of raw) {
    const p = upperSnake(r);
    if (p && !parts.includes(p)) parts.push(p);
  }
  return parts;
}

/** Marker file names already written in the Dockerfile: `.X-source-marker` / `.X-marker` → X. */
function repoFromExistingMarkers(doc: DockerDoc): string | null {
  let repo = existingRepoCache.get(doc);
  if (repo === undefined) {
    // The pattern below spells `marker` outright: a text without it has no such file name.
    repo = markerHits(doc).length === 0 ? null : scanExistingMarkers(doc);
    existingRepoCache.set(doc, repo);
  }
  return repo;
}

const existingRepoCache = new ParseCache<DockerDoc, string | null>();

function scanExistingMarkers(doc: DockerDoc): string | null {
  const counts = new Map<string, number>();
  for (const instr of doc.instructions) {
    if (instr.getKeyword() !== 'RUN' && instr.getKeyword() !== 'COPY') continue;
    // The pattern spells `marker` outright, which is a hit of MARKER_LETTERS in the instruction.
    if (!mayNameMarker(doc, instr)) continue;
    const text = instr.getRawArgumentsContent() ?? '';
    for (const m of text.matchAll(/\/\.([a-z0-9][a-z0-9_-]*?)-source-marker\b/gi)) {
      counts.set(m[1].toLowerCase(), (counts.get(m[1].toLowerCase()) ?? 0) + 2);
    }
  }
  let best: string | null = null;
  for (const [k, n] of counts) if (best === null || n > counts.get(best)!) best = k;
  return best;
}

function makeNames(prefix: string, repo: string): MarkerNames {
  return {
    prefix,
    repo,
    sourceMarker: `.${repo}-source-marker`,
    packageMarker: `.${repo}-marker`,
    dirMarker: (dirName) => `.${repo}-${lowerKebab(dirName) || 'dir'}-marker`,
    content: (kind) => `${prefix}_${upperSnake(kind) || 'MARKER'}_$(date +%s)`,
  };
}

/**
 * The marker names for one Dockerfile. The repo part of file names comes from markers the file
 * already writes, else the context root's folder name; with a configured prefix that does not
 * start with that folder name, from the prefix's first word.
 */
export function markerNames(doc: DockerDoc | null, ctx: TransformContext): MarkerNames {
  const parts = derivedPrefixParts(ctx.contextRoot, ctx.dockerfilePath);
  const configured = ctx.config.markerPrefix ? upperSnake(ctx.config.markerPrefix) : '';
  const prefix = configured || parts.join('_') || 'APP';
  const existing = doc ? repoFromExistingMarkers(doc) : null;
  let repo = existing ?? '';
  if (!repo) {
    const folder = parts[0] ?? '';
    if (!configured || configured === folder || configured.startsWith(`${folder}_`)) {
      repo = lowerKebab(folder);
    } else {
      repo = configured.split('_')[0].toLowerCase();
    }
  }
  return makeNames(prefix, repo || 'app');
}

// ---------------------------------------------------------------------------------------------
// Recognising marker writes inside RUN instructions.

/** A marker file by its name: `.lucid-source-marker`, `.marker`, `build.marker`, `marker`, `marker.txt`. */
export function isMarkerPath(p: string): boolean {
  const base = p.replace(/\/+$/, '').split('/').pop() ?? '';
  // Not `bookmarker.py` or `marker.py`: only dot-files, `*-marker`, `marker`, `*.marker`, `*marker.txt`.
  return (
    /^\.[\w.-]*marker$/i.test(base) ||
    /^([\w.-]*[._-])?marker$/i.test(base) ||
    /^[\w.-]*marker\.txt$/i.test(base)
  );
}

/** One simple command of a shell-form RUN, with its offsets in the document. */
export interface ShellSegment {
  /** Offset of its first and just after its last non-blank character. */
  start: number;
  end: number;
  /** Its source text, continuations joined into a space. */
  text: string;
}

/**
 * The simple commands of a shell-form RUN, split at `&&`, `||`, `;`, `|`, `&` outside quotes
 * (and at line breaks inside heredoc bodies). Line continuations and the comment lines the
 * Dockerfile parser drops inside them are skipped. JSON-form RUNs have none.
 */
export function shellSegments(doc: DockerDoc, instr: Instruction): ShellSegment[] {
  // Several transforms and model functions ask for the same RUN: scan it once per parse.
  let segments = segmentCache.get(instr);
  if (segments === undefined) {
    segments = scanShellSegments(doc, instr);
    segmentCache.set(instr, segments);
  }
  return segments;
}

const segmentCache = new ParseCache<Instruction, ShellSegment[]>();

function scanShellSegments(doc: DockerDoc, instr: Instruction): ShellSegment[] {
  if (instr.getKeyword() !== 'RUN' || isJsonForm(instr)) return [];
  const argsRange = instr.getArgumentsRange();
  if (!argsRange) return [];
  const text = doc.text;
  const esc = doc.style.escape;
  let i = doc.offsetAt(argsRange.start);
  const end = doc.span(instr).end;
  // Skip `--mount=…` and other flags.
  for (;;) {
    const m = /^--\S+[ \t]*/.exec(text.slice(i, end));
    if (!m) break;
    i += m[0].length;
  }
  const segments: ShellSegment[] = [];
  let segStart = -1;
  let segEnd = -1;
  // The segment's text so far is `buf` followed by the source run [runStart, runEnd): source
  // characters are appended as runs (one slice each) instead of one string per character.
  let buf = '';
  let runStart = -1;
  let runEnd = -1;
  let quote: '' | "'" | '"' = '';
  const append = (from: number, to: number) => {
    if (runStart >= 0 && runEnd === from) {
      runEnd = to;
      return;
    }
    if (runStart >= 0) buf += text.slice(runStart, runEnd);
    runStart = from;
    runEnd = to;
  };
  const appendSpace = () => {
    if (runStart >= 0) buf += text.slice(runStart, runEnd);
    runStart = -1;
    buf += ' ';
  };
  const flush = () => {
    if (segStart >= 0) {
      if (runStart >= 0) buf += text.slice(runStart, runEnd);
      segments.push({ start: segStart, end: segEnd, text: buf.trim() });
    }
    segStart = -1;
    segEnd = -1;
    buf = '';
    runStart = -1;
  };
  const take = (from: number, to: number) => {
    if (segStart < 0) segStart = from;
    segEnd = to;
    append(from, to);
  };
  while (i < end) {
    const c = text[i];
    // Dockerfile line continuation: escape char, optional blanks, line break.
    if (c === esc) {
      const next = continuationEnd(text, i + 1, end);
      if (next >= 0) {
        i = next;
        appendSpace();
        // Comment lines inside a continuation are removed by the parser.
        for (
          let after = commentLineEnd(text, i, end);
          after >= 0;
          after = commentLineEnd(text, i, end)
        )
          i = after;
        continue;
      }
    }
    if (c === '\n' || c === '\r') {
      // Only heredoc bodies continue past an unescaped line break.
      if (!quote) flush();
      else append(i, i + 1);
      i++;
      continue;
    }
    if (quote === "'") {
      take(i, i + 1);
      if (c === "'") quote = '';
      i++;
      continue;
    }
    if (c === '\\' && i + 1 < end && text[i + 1] !== '\n' && text[i + 1] !== '\r') {
      take(i, i + 2);
      i += 2;
      continue;
    }
    if (quote === '"') {
      take(i, i + 1);
      if (c === '"') quote = '';
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      take(i, i + 1);
      i++;
      continue;
    }
    if ((c === '&' || c === '|') && text[i + 1] === c) {
      // `&&` / `||`
      flush();
      i += 2;
      continue;
    }
    if (c === ';' || c === '|' || (c === '&' && text[i + 1] !== '>' && text[i - 1] !== '>')) {
      flush();
      i++;
      continue;
    }
    if (c === ' ' || c === '\t') {
      if (segStart >= 0) append(i, i + 1);
      i++;
      continue;
    }
    take(i, i + 1);
    i++;
  }
  flush();
  return segments;
}

/** After `[ \t]*(\r\n|\r|\n)` starting at `from` (not reaching `end`), or -1 when it is not there. */
function continuationEnd(text: string, from: number, end: number): number {
  let j = from;
  while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
  if (j >= end) return -1;
  if (text[j] === '\r') return j + 1 < end && text[j + 1] === '\n' ? j + 2 : j + 1;
  return text[j] === '\n' ? j + 1 : -1;
}

/** After a `[ \t]*#…` comment line and its line break starting at `from`, or -1 when there is none. */
function commentLineEnd(text: string, from: number, end: number): number {
  let j = from;
  while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
  if (j >= end || text[j] !== '#') return -1;
  while (j < end && text[j] !== '\r' && text[j] !== '\n') j++;
  if (j >= end) return j;
  return text[j] === '\r' && j + 1 < end && text[j + 1] === '\n' ? j + 2 : j + 1;
}

/** Shell words of a simple command, quotes removed (no expansion). */
export function shellWords(command: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote = '';
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"' && i + 1 < command.length) cur += command[++i];
      else cur += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      has = true;
      continue;
    }
    if (c === '\\' && i + 1 < command.length) {
      cur += command[++i];
      has = true;
      continue;
    }
    if (c === ' ' || c === '\t') {
      if (has) out.push(cur);
      cur = '';
      has = false;
      continue;
    }
    if (c === '>' || c === '<') {
      if (has) out.push(cur);
      let op = c;
      while (command[i + 1] === '>' || command[i + 1] === '|') op += command[++i];
      out.push(op);
      cur = '';
      has = false;
      continue;
    }
    cur += c;
    has = true;
  }
  if (has) out.push(cur);
  return out;
}

export type MarkerWriteKind = 'content' | 'empty';

/** A marker file a RUN writes: with content (`echo "X" > f`) or empty (`touch f`, `: > f` …). */
export interface MarkerWrite {
  /** The path as written. */
  path: string;
  kind: MarkerWriteKind;
  instruction: Instruction;
  segment: ShellSegment;
}

const EMPTY_WRITERS = new Set([':', 'true']);

/** What one simple command writes into marker files. */
export function markerWritesOf(segment: ShellSegment): { path: string; kind: MarkerWriteKind }[] {
  const w = shellWords(segment.text);
  if (w.length === 0) return [];
  // Leading `VAR=value` assignments do not change what is written.
  while (w.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w[0])) w.shift();
  const cmd = w[0] ?? '';
  if (cmd === 'touch') {
    return w
      .slice(1)
      .filter((a) => !a.startsWith('-') && isMarkerPath(a))
      .map((p) => ({ path: p, kind: 'empty' as const }));
  }
  const redirect = w.findIndex((x) => x === '>' || x === '>>' || x === '>|');
  if (redirect < 0 || redirect + 1 >= w.length) return [];
  const target = w[redirect + 1];
  if (!isMarkerPath(target)) return [];
  const before = w.slice(0, redirect);
  let empty = before.length === 0 || (before.length === 1 && EMPTY_WRITERS.has(before[0]));
  if (before[0] === 'echo' || before[0] === 'printf') {
    const args = before.slice(1);
    const opts = before[0] === 'echo' ? args.filter((a) => /^-[neE]+$/.test(a)) : [];
    const values = args.filter((a) => !opts.includes(a));
    const noNewline = before[0] === 'printf' || opts.some((o) => o.includes('n'));
    empty = noNewline && values.every((v) => v === '');
  }
  return [{ path: target, kind: empty ? 'empty' : 'content' }];
}

/** Every marker file a RUN writes. */
export function markerWrites(doc: DockerDoc, instr: Instruction): MarkerWrite[] {
  // Asked for every instruction by several transforms: computed once per parse (a copy out).
  let writes = markerWriteCache.get(instr);
  if (writes === undefined) {
    writes = [];
    if (mayNameMarker(doc, instr)) {
      for (const segment of shellSegments(doc, instr)) {
        // A marker path is a word of the segment spelling `marker` (see MARKER_LETTERS).
        if (!MARKER_IN_TEXT.test(segment.text)) continue;
        for (const w of markerWritesOf(segment)) writes.push({ ...w, instruction: instr, segment });
      }
    }
    markerWriteCache.set(instr, writes);
  }
  return writes.slice();
}

const markerWriteCache = new ParseCache<Instruction, MarkerWrite[]>();

/**
 * `marker` in any case, with quotes or backslashes between its letters. A marker path is a
 * shell word whose name contains `marker` (isMarkerPath); a word is source text of the RUN with
 * only quotes and backslashes removed (a line continuation becomes a space, which ends a word),
 * so a RUN without a match of this writes no marker file.
 */
const MARKER_LETTERS = /m['"\\]*a['"\\]*r['"\\]*k['"\\]*e['"\\]*r/gi;

/** MARKER_LETTERS for a plain test (no `g` flag, so no lastIndex state). */
const MARKER_IN_TEXT = new RegExp(MARKER_LETTERS.source, 'i');

/** Offsets where MARKER_LETTERS matches in the text of a parse (matches cannot overlap). */
function markerHits(doc: DockerDoc): number[] {
  let hits = markerHitCache.get(doc);
  if (hits === undefined) {
    hits = [];
    MARKER_LETTERS.lastIndex = 0;
    for (let m = MARKER_LETTERS.exec(doc.text); m; m = MARKER_LETTERS.exec(doc.text))
      hits.push(m.index);
    markerHitCache.set(doc, hits);
  }
  return hits;
}

const markerHitCache = new ParseCache<DockerDoc, number[]>();

/** False when the instruction's text cannot spell a marker path (so it writes no marker file). */
function mayNameMarker(doc: DockerDoc, instr: Instruction): boolean {
  const hits = markerHits(doc);
  if (hits.length === 0) return false;
  const { start, end } = doc.span(instr);
  return hits.some((h) => h >= start && h < end);
}

/** A RUN that writes at least one marker file. */
export function isMarkerRun(doc: DockerDoc, instr: Instruction): boolean {
  return markerWrites(doc, instr).length > 0;
}

/** A RUN of a stage that writes marker files, with the WORKDIR in effect for it. */
export interface MarkerRun {
  instruction: Instruction;
  /** Its position in `stage.instructions`. */
  index: number;
  /** workdirBefore the RUN. */
  workdir: string | null;
  /** markerWrites of the RUN (never empty). */
  writes: readonly MarkerWrite[];
}

/**
 * The RUNs among a stage's own instructions that write marker files, in order: what a loop of
 * markerWrites over `stage.instructions` finds, computed once per parse. Do not modify.
 */
export function markerRunsOf(doc: DockerDoc, stage: Stage): readonly MarkerRun[] {
  let runs = markerRunCache.get(stage);
  if (runs === undefined) {
    runs = [];
    if (markerHits(doc).length > 0) {
      stage.instructions.forEach((instr, index) => {
        if (instr.getKeyword() !== 'RUN') return;
        const writes = markerWrites(doc, instr);
        if (writes.length === 0) return;
        runs!.push({
          instruction: instr,
          index,
          workdir: workdirBefore(doc, stage, instr),
          writes,
        });
      });
    }
    markerRunCache.set(stage, runs);
  }
  return runs;
}

/**
 * The directories a stage's marker RUNs write into (absolute, or against the RUN's WORKDIR; a
 * relative path without a known WORKDIR is left out), for the RUNs at positions `from` to `to`
 * (exclusive) of `stage.instructions`.
 */
export function markedDirsOf(
  doc: DockerDoc,
  stage: Stage,
  from = 0,
  to = Number.POSITIVE_INFINITY,
): Set<string> {
  const dirs = new Set<string>();
  for (const { index, workdir, writes } of markerRunsOf(doc, stage)) {
    if (index < from || index >= to) continue;
    for (const w of writes) {
      const abs = w.path.startsWith('/')
        ? w.path
        : workdir
          ? path.posix.join(workdir, w.path)
          : null;
      if (abs) dirs.add(path.posix.dirname(path.posix.normalize(abs)));
    }
  }
  return dirs;
}

const markerRunCache = new ParseCache<Stage, MarkerRun[]>();

/**
 * The `<KIND>` of a marker's content, from its file name and place: the source marker →
 * SOURCE; `.<repo>-<dir>-marker` → DIR; the package marker in site-packages →
 * PACKAGES_INSTALLED, in a `bin` directory → BINARIES_INSTALLED; otherwise the name without
 * dots and `marker`, else its folder's name.
 */
export function markerKind(names: MarkerNames, markerPath: string): string {
  const parts = markerPath.replace(/\/+$/, '').split('/');
  const base = parts.pop() ?? '';
  const parent = parts.filter((p) => p && p !== '.').pop() ?? '';
  if (base === names.sourceMarker) return 'SOURCE';
  const stem = base
    .replace(/^\./, '')
    .replace(/(\.\w+)?$/, (ext) => (/marker/i.test(ext) ? '' : ext))
    .replace(/[._-]?marker(\.\w+)?$/i, '');
  const repoWord = names.repo;
  let rest = stem;
  if (rest.toLowerCase() === repoWord) rest = '';
  else if (rest.toLowerCase().startsWith(`${repoWord}-`)) rest = rest.slice(repoWord.length + 1);
  if (/^source$/i.test(rest)) return 'SOURCE';
  if (rest === '') {
    if (markerPath.includes('site-packages')) return 'PACKAGES_INSTALLED';
    if (parent === 'bin') return 'BINARIES_INSTALLED';
    return upperSnake(parent.replace(/^\$\{?|\}$/g, '')) || 'MARKER';
  }
  return upperSnake(rest) || 'MARKER';
}

// ---------------------------------------------------------------------------------------------
// Where relative marker paths point.

/** The WORKDIR in effect just before `instr` (end of the stage when null), inherited through `FROM <stage>`. */
export function workdirBefore(
  doc: DockerDoc,
  stage: Stage,
  instr: Instruction | null,
): string | null {
  const workdirs = stageWorkdirs(doc, stage);
  if (instr === null) return workdirs.end;
  const dir = workdirs.before.get(instr);
  // An instruction of another stage: the loop over this stage's instructions never met it.
  return dir === undefined ? workdirs.end : dir;
}

interface StageWorkdirs {
  /** The WORKDIR just before each instruction of the stage. */
  before: Map<Instruction, string | null>;
  /** At the end of the stage. */
  end: string | null;
}

/** One pass over a stage's WORKDIRs per parse (asked for every RUN and COPY by many transforms). */
function stageWorkdirs(doc: DockerDoc, stage: Stage): StageWorkdirs {
  let workdirs = workdirCache.get(stage);
  if (workdirs === undefined) {
    let dir: string | null = stage.baseStage ? stageWorkdirs(doc, stage.baseStage).end : '/';
    const before = new Map<Instruction, string | null>();
    for (const i of stage.instructions) {
      if (!before.has(i)) before.set(i, dir);
      if (i.getKeyword() === 'WORKDIR') dir = joinWorkdir(dir, workdirArg(i));
    }
    workdirs = { before, end: dir };
    workdirCache.set(stage, workdirs);
  }
  return workdirs;
}

const workdirCache = new ParseCache<Stage, StageWorkdirs>();

function workdirArg(instr: Instruction): string {
  return (instr.getRawArgumentsContent() ?? '').trim().replace(/^"(.*)"$/, '$1');
}

function joinWorkdir(base: string | null, next: string): string | null {
  if (next.startsWith('/')) return path.posix.normalize(next);
  if (base === null) return null;
  return path.posix.normalize(path.posix.join(base, next));
}

/** A path as seen from `workdir` (absolute paths unchanged). */
export function resolveIn(workdir: string | null, p: string): string | null {
  if (p.startsWith('/') || p.startsWith('$')) return path.posix.normalize(p);
  if (workdir === null) return null;
  return path.posix.normalize(path.posix.join(workdir, p));
}

// ---------------------------------------------------------------------------------------------
// The copy pattern's runtime user, and whether the pattern applies at all.

export interface RuntimeOwner {
  /** The user as the Dockerfile or config names it (`65532`, `nonroot`, `app:app`). */
  user: string;
  /** `--chown` / `chown -R` value: `uid:gid` when known, else the name(s) as written. */
  chown: string;
  /** Home directory of the user in the runtime image, when it can be known. */
  home: string | null;
  /** Where the user came from. */
  source: 'user' | 'image' | 'config';
}

/**
 * The non-root user the final stage runs as: its USER (or a base stage's), the default user of a
 * `:nonroot` distroless / Chainguard image, else the config's `runtimeUser`. Null for root.
 * On shell-less images `nonroot` is uid/gid 65532 (distroless' /etc/passwd).
 */
export function runtimeOwner(doc: DockerDoc, ctx: TransformContext): RuntimeOwner | null {
  // Asked by several transforms per parse; it depends on the document and the config only.
  const owner = ownerMemo.get(doc, ctx.config, () => computeRuntimeOwner(doc, ctx));
  return owner ? { ...owner } : null;
}

const ownerMemo = new ParseMemo<DockerDoc, RuntimeOwner | null>();

function computeRuntimeOwner(doc: DockerDoc, ctx: TransformContext): RuntimeOwner | null {
  const final = doc.stages.final;
  if (!final) return null;
  let user = userAt(doc, final);
  let source: RuntimeOwner['source'] = lastUserInstruction(final) ? 'user' : 'image';
  if (source === 'image' && isRootUser(user) && ctx.config.runtimeUser) {
    user = ctx.config.runtimeUser.trim();
    source = 'config';
  }
  if (!user || isRootUser(user)) return null;
  // USER takes one word (`name`, `uid`, `uid:gid`, `$VAR`); anything else is not a user we can chown to.
  if (!/^[\w.${}-]+(:[\w.${}-]+)?$/.test(user)) return null;
  const [name, group] = user.split(':');
  let chown: string;
  if (/^\d+$/.test(name)) chown = `${name}:${group ?? name}`;
  else if (name === 'nonroot' && final.shellless && (group === undefined || group === 'nonroot'))
    chown = '65532:65532';
  else chown = group ? `${name}:${group}` : name;
  const uid = chown.split(':')[0];
  const home = homeOf(final.shellless && uid === '65532' ? 'nonroot' : user, envAt(doc, final));
  return { user, chown, home, source };
}

/** The copy pattern is for Python apps: the final stage runs one, or a stage is a Python image. */
export function isPythonDockerfile(doc: DockerDoc, ctx: TransformContext): boolean {
  return pythonDockerfileMemo.get(doc, ctx.config, () => computeIsPythonDockerfile(doc, ctx));
}

const pythonDockerfileMemo = new ParseMemo<DockerDoc, boolean>();

function computeIsPythonDockerfile(doc: DockerDoc, ctx: TransformContext): boolean {
  if (findAppModule(doc)) return true;
  return doc.stages.stages.some((s) => pythonOf(s, doc, ctx.config) !== null);
}
