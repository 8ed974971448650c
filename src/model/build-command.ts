/**
 * The build-command comment block (12, updated by 13): where it is in the file, and its command
 * parsed into flags. A block is the comment line holding `docker [buildx] build` (optionally
 * preceded by our header line) and its `\` continuation comment lines (indented deeper after the
 * `#` than the command line), outside any instruction.
 */
import type { DockerDoc } from './document.js';
import { ParseCache } from './parse-cache.js';

export const BLOCK_HEADER = 'Build command (dockerfix), run from the build context root:';
const HEADER_RE = /^\s*#\s*Build command \(dockerfix\)/;
const COMMAND_RE =
  /^\s*#\s*(?:\$\s*)?(?:docker\s+(?:buildx\s+)?build|podman\s+build|buildah\s+(?:bud|build))\b/;

export interface BuildCommandBlock {
  /** Offsets of the block: start of its first line, end of its last line (before the line break). */
  start: number;
  end: number;
  /** 0-based lines. */
  firstLine: number;
  lastLine: number;
  hasHeader: boolean;
  /**
   * The last line still ends with `\`: the line after it (if any) does not continue the block
   * (an unrelated comment or an instruction splits it, or the file ends). What the command was
   * meant to be is not known, and 12 leaves such a block alone.
   */
  dangling: boolean;
  /**
   * The last line does not end with `\`, yet the next line is a comment indented deeper than the
   * command, like the block's own continuation lines (a `\` lost or followed by other text): the
   * block was meant to go on, and 12 leaves it alone.
   */
  cut: boolean;
  command: ParsedCommand;
}

export interface ParsedCommand {
  /** `docker buildx build` as written. */
  program: string[];
  platform: string | null;
  file: string | null;
  tag: string | null;
  push: boolean;
  /** `--build-arg` values as written: `NAME=VALUE` (VALUE with its quotes), or `NAME`. */
  buildArgs: { name: string; raw: string }[];
  /** Other flags with their values, as written. */
  other: string[][];
  /** The context argument (`.`), or null. */
  context: string | null;
  /** False when a quote or `$(` is left open: the words cannot be trusted. */
  balanced: boolean;
}

/**
 * Whether a line belongs to an instruction (comments inside continuations included) or is a
 * parser directive. Instruction ranges are kept as sorted [start, end] lines with a running
 * maximum of the ends, so one binary search answers for any line (no per-line set).
 */
function takenLines(doc: DockerDoc): (line: number) => boolean {
  // Start lines and running maximum of end lines, in two number arrays (no pair per instruction).
  const instructions = doc.instructions;
  const n = instructions.length;
  const starts: number[] = new Array<number>(n);
  const ends: number[] = new Array<number>(n);
  let sorted = true;
  for (let k = 0; k < n; k++) {
    const r = instructions[k].getRange();
    starts[k] = r.start.line;
    ends[k] = r.end.line;
    if (k > 0 && starts[k] < starts[k - 1]) sorted = false;
  }
  if (!sorted) {
    const order = starts.map((_, k) => k).sort((a, b) => starts[a] - starts[b]);
    const s = order.map((k) => starts[k]);
    const e = order.map((k) => ends[k]);
    for (let k = 0; k < n; k++) {
      starts[k] = s[k];
      ends[k] = e[k];
    }
  }
  const maxEnd = ends;
  for (let k = 1; k < n; k++) if (maxEnd[k] < maxEnd[k - 1]) maxEnd[k] = maxEnd[k - 1];
  const directives = doc.ast.getDirectives();
  const isDirective = (line: number) => {
    for (const d of directives) if (d.getRange().start.line === line) return true;
    return false;
  };
  return (line) => {
    if (isDirective(line)) return true;
    // The last span starting at or before `line`: some span covers it iff the ends so far reach it.
    let lo = 0;
    let hi = n - 1;
    if (hi < 0 || starts[0] > line) return false;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= line) lo = mid;
      else hi = mid - 1;
    }
    return maxEnd[lo] >= line;
  };
}

const CONTINUED = /\\\s*$/;

/** Whether a line whose first character is `code` can match `^\s*#` (a comment, or blanks first). */
function mayStartComment(code: number): boolean {
  return code === 35 /* # */ || isSpaceCode(code);
}

/** How much whitespace follows the `#` of a comment line; -1 when the line is no comment. */
function commentIndent(line: string): number {
  const m = /^\s*#(\s*)/.exec(line);
  return m ? m[1].length : -1;
}

const blocks = new ParseCache<DockerDoc, BuildCommandBlock | null>();

/**
 * The first build-command block of the file, or null. Computed once per parse (12 and 13 both
 * ask; callers must not modify the result).
 *
 * A block ends at the first line that does not continue it. A line continues the block when the
 * line before ends with `\`, it is a comment outside any instruction, and its text after the `#`
 * is indented deeper than the command line's (`#   docker build \` / `#     --push \`): an
 * unrelated comment in the middle (`# syntax=…`, `# note`) is not read as part of the command.
 * A block whose last line still ends with `\` is `dangling`.
 */
export function findBuildCommandBlock(doc: DockerDoc): BuildCommandBlock | null {
  let block = blocks.get(doc);
  if (block === undefined) {
    block = locateBlock(doc);
    blocks.set(doc, block);
  }
  return block;
}

function locateBlock(doc: DockerDoc): BuildCommandBlock | null {
  const text = doc.text;
  const n = doc.lineStarts.length;
  let taken: ((line: number) => boolean) | undefined;
  // Every command the pattern accepts contains "build" (buildah too), so only the lines holding
  // that word can start a block; they are visited in file order, as a scan of every line would.
  for (let at = text.indexOf('build'); at !== -1;) {
    const i = doc.lineOf(at);
    const nextLine = i + 1 < n ? doc.lineStarts[i + 1] : text.length;
    at = nextLine < text.length ? text.indexOf('build', nextLine) : -1;
    // COMMAND_RE wants the line to start with blanks then "#": a line starting with anything
    // else (an instruction such as `FROM … AS builder`) cannot match, and is not sliced.
    if (!mayStartComment(text.charCodeAt(doc.lineStarts[i]))) continue;
    const command = doc.lineText(i);
    if (!COMMAND_RE.test(command)) continue;
    const isTaken = (taken ??= takenLines(doc));
    if (isTaken(i)) continue;
    let first = i;
    const hasHeader = i > 0 && !isTaken(i - 1) && HEADER_RE.test(doc.lineText(i - 1));
    if (hasHeader) first = i - 1;
    const indent = commentIndent(command);
    // The line after `l` reads as more of the command: a comment indented deeper, not taken.
    const goesOn = (l: number) =>
      l + 1 < n && !isTaken(l + 1) && commentIndent(doc.lineText(l + 1)) > indent;
    let last = i;
    while (CONTINUED.test(doc.lineText(last)) && goesOn(last)) last++;
    const continued = CONTINUED.test(doc.lineText(last));
    const body: string[] = [];
    for (let l = i; l <= last; l++) {
      body.push(
        doc
          .lineText(l)
          .replace(/^\s*#\s?/, '')
          .replace(/\\\s*$/, ''),
      );
    }
    return {
      start: doc.lineStarts[first],
      end: doc.lineEnd(last),
      firstLine: first,
      lastLine: last,
      hasHeader,
      dangling: continued,
      cut: !continued && goesOn(last),
      command: parseBuildCommand(body.join(' ')),
    };
  }
  return null;
}

/** Split a shell command line into words, keeping quotes and `$(…)` as written. */
export function rawWords(text: string): string[] {
  return splitWords(text).words;
}

/** What `/\s/` matches, for one UTF-16 code unit (ASCII answered without the regex). */
function isSpaceCode(code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return /\s/.test(String.fromCharCode(code));
}

const SQ = 39; // '
const DQ = 34; // "
const BACKSLASH = 92;
const DOLLAR = 36;
const OPEN = 40; // (
const CLOSE = 41; // )

/**
 * Words of a command line, and whether every quote and `$(` group was closed. A word is the text
 * between two unquoted blanks outside any group, as written: it is sliced from the line.
 */
export function splitWords(text: string): { words: string[]; balanced: boolean } {
  const words: string[] = [];
  const n = text.length;
  let start = -1; // where the current word starts, -1 between words
  // Open quotes and `$(` / `(` groups, innermost last.
  const stack: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const top = stack.length > 0 ? stack[stack.length - 1] : -1;
    if (top === SQ) {
      if (c === SQ) stack.pop();
    } else if (top === DQ) {
      if ((c === BACKSLASH || (c === DOLLAR && text.charCodeAt(i + 1) === OPEN)) && i + 1 < n) {
        if (c === DOLLAR) stack.push(CLOSE);
        if (start < 0) start = i;
        i++;
        continue;
      }
      if (c === DQ) stack.pop();
    } else {
      if (top === -1 && isSpaceCode(c)) {
        if (start >= 0) words.push(text.slice(start, i));
        start = -1;
        continue;
      }
      if (c === BACKSLASH && i + 1 < n) {
        if (start < 0) start = i;
        i++;
        continue;
      }
      if (c === DQ || c === SQ) stack.push(c);
      else if (c === OPEN) stack.push(CLOSE);
      else if (c === CLOSE && top === CLOSE) stack.pop();
    }
    if (start < 0) start = i;
  }
  if (start >= 0) words.push(text.slice(start));
  return { words, balanced: stack.length === 0 };
}

const VALUE_FLAGS: Record<string, string> = {
  '--platform': 'platform',
  '--file': 'file',
  '-f': 'file',
  '--tag': 'tag',
  '-t': 'tag',
  '--build-arg': 'build-arg',
};

export function parseBuildCommand(text: string): ParsedCommand {
  const { words, balanced } = splitWords(text.replace(/^\s*\$\s*/, ''));
  const cmd: ParsedCommand = {
    balanced,
    program: [],
    platform: null,
    file: null,
    tag: null,
    push: false,
    buildArgs: [],
    other: [],
    context: null,
  };
  let i = 0;
  while (i < words.length && !words[i].startsWith('-')) cmd.program.push(words[i++]);
  // The program words end at `build` / `bud`; a trailing non-flag word is the context.
  const buildAt = cmd.program.findIndex((w) => w === 'build' || w === 'bud');
  if (buildAt >= 0 && buildAt < cmd.program.length - 1) {
    cmd.context = cmd.program.slice(buildAt + 1).join(' ');
    cmd.program = cmd.program.slice(0, buildAt + 1);
  }
  for (; i < words.length; i++) {
    const w = words[i];
    if (!w.startsWith('-')) {
      cmd.context = w;
      continue;
    }
    const eq = w.indexOf('=');
    const name = eq > 0 && w.startsWith('--') ? w.slice(0, eq) : w;
    const kind = VALUE_FLAGS[name];
    if (w === '--push') {
      cmd.push = true;
      continue;
    }
    if (!kind) {
      const group = [w];
      // An unknown flag takes the next word as its value unless that word is a flag or the last word.
      if (eq < 0 && i + 2 < words.length && !words[i + 1].startsWith('-')) group.push(words[++i]);
      cmd.other.push(group);
      continue;
    }
    const value = eq > 0 && w.startsWith('--') ? w.slice(eq + 1) : words[++i];
    if (value === undefined) break;
    if (kind === 'platform') cmd.platform = unquote(value);
    else if (kind === 'file') cmd.file = unquote(value);
    else if (kind === 'tag') cmd.tag = unquote(value);
    else {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)/.exec(unquote(value));
      if (m) cmd.buildArgs.push({ name: m[1], raw: value });
    }
  }
  return cmd;
}

function unquote(v: string): string {
  return /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v;
}

/** The block's comment lines for a command (no line breaks; the caller joins with the file's EOL). */
export function renderBlock(cmd: ParsedCommand): string[] {
  const parts: string[] = [];
  if (cmd.platform) parts.push(`--platform ${cmd.platform}`);
  if (cmd.file) parts.push(`--file ${quoteIfNeeded(cmd.file)}`);
  for (const a of cmd.buildArgs) parts.push(`--build-arg ${a.raw}`);
  for (const o of cmd.other) parts.push(o.join(' '));
  if (cmd.tag) parts.push(`--tag ${quoteIfNeeded(cmd.tag)}`);
  if (cmd.push) parts.push('--push');
  parts.push(cmd.context ?? '.');
  const lines = [`# ${BLOCK_HEADER}`, `#   ${cmd.program.join(' ')} \\`];
  parts.forEach((p, i) => lines.push(`#     ${p}${i < parts.length - 1 ? ' \\' : ''}`));
  return lines;
}

/**
 * Whether the block for `cmd` reads back as itself: parsing the rendered lines and rendering
 * again gives the same lines. 12 only writes blocks that pass, so a later run never rewrites its
 * own output (odd quoting or escapes in a hand-written block would otherwise grow or drift).
 */
export function rendersStably(cmd: ParsedCommand): boolean {
  return linesRenderStably(renderBlock(cmd));
}

/** `rendersStably` for the lines `renderBlock` gave. */
export function linesRenderStably(lines: string[]): boolean {
  const body = lines
    .slice(1)
    .map((l) => l.replace(/^\s*#\s?/, '').replace(/\\\s*$/, ''))
    .join(' ');
  return readsBackAs(lines, parseBuildCommand(body));
}

/**
 * The last step of `linesRenderStably`, for a caller that already holds `again`, the parse of
 * the rendered lines (12: the block in the file, when its lines are exactly these).
 */
export function readsBackAs(lines: string[], again: ParsedCommand): boolean {
  return again.balanced && renderBlock(again).join('\n') === lines.join('\n');
}

function quoteIfNeeded(v: string): string {
  return /^[\w@%+=:,./-]+$/.test(v) ? v : `"${v.replace(/(["\\$`])/g, '\\$1')}"`;
}

/** The command on one line, for the report. */
export function commandLine(cmd: ParsedCommand): string {
  return commandLineOf(renderBlock(cmd));
}

/** `commandLine` for the lines `renderBlock` gave. */
export function commandLineOf(lines: string[]): string {
  return lines
    .slice(1)
    .map((l) => l.replace(/^#\s*/, '').replace(/\s*\\$/, ''))
    .join(' ');
}

/** Build args that carry a VCS revision (13 gives them `manual-build`; 12 fills them from git). */
export function isVcsArgName(name: string): boolean {
  return /(^|_)(VCS_REF|VCS_REVISION|VCS_COMMIT|GIT_(COMMIT|SHA|REV|REVISION|HASH|REF)|COMMIT(_SHA|_HASH|_ID|_REF)?|REVISION|SOURCE_(COMMIT|VERSION)|SCM_REVISION)$/.test(
    name.toUpperCase(),
  );
}

/** Build args that carry the build time. */
export function isDateArgName(name: string): boolean {
  return /(^|_)(BUILD_?DATE|DATE|CREATED|TIMESTAMP|BUILD_?TIME)$/.test(name.toUpperCase());
}

/** The value 13 uses for a VCS revision when git is not there. */
export const MANUAL_BUILD = 'manual-build';

/** `$(git rev-parse …)` (possibly inside double quotes) in a build-arg value. */
export const GIT_REV_PARSE = /"?\$\(\s*git\s+(?:-C\s+\S+\s+)?rev-parse\b[^)]*\)"?/;
