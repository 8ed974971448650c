/**
 * The build-command comment block (12, updated by 13): where it is in the file, and its command
 * parsed into flags. A block is the comment line holding `docker [buildx] build` (optionally
 * preceded by our header line) and its `\` continuation comment lines, outside any instruction.
 */
import type { DockerDoc } from './document.js';

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

/** Lines that belong to an instruction (comments inside continuations included). */
function instructionLines(doc: DockerDoc): Set<number> {
  const lines = new Set<number>();
  for (const instr of doc.instructions) {
    const r = instr.getRange();
    for (let l = r.start.line; l <= r.end.line; l++) lines.add(l);
  }
  for (const d of doc.ast.getDirectives()) lines.add(d.getRange().start.line);
  return lines;
}

/** The first build-command block of the file, or null. */
export function findBuildCommandBlock(doc: DockerDoc): BuildCommandBlock | null {
  const taken = instructionLines(doc);
  const n = doc.lineStarts.length;
  for (let i = 0; i < n; i++) {
    if (taken.has(i) || !COMMAND_RE.test(doc.lineText(i))) continue;
    let first = i;
    const hasHeader = i > 0 && !taken.has(i - 1) && HEADER_RE.test(doc.lineText(i - 1));
    if (hasHeader) first = i - 1;
    let last = i;
    while (
      /\\\s*$/.test(doc.lineText(last)) &&
      last + 1 < n &&
      !taken.has(last + 1) &&
      /^\s*#/.test(doc.lineText(last + 1))
    ) {
      last++;
    }
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
      command: parseBuildCommand(body.join(' ')),
    };
  }
  return null;
}

/** Split a shell command line into words, keeping quotes and `$(…)` as written. */
export function rawWords(text: string): string[] {
  return splitWords(text).words;
}

/** Words of a command line, and whether every quote and `$(` group was closed. */
export function splitWords(text: string): { words: string[]; balanced: boolean } {
  const words: string[] = [];
  let cur = '';
  // Open quotes and `$(` / `(` groups, innermost last.
  const stack: ('"' | "'" | ')')[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (top === "'") {
      if (c === "'") stack.pop();
    } else if (top === '"') {
      if ((c === '\\' || (c === '$' && text[i + 1] === '(')) && i + 1 < text.length) {
        if (c === '$') stack.push(')');
        cur += c + text[++i];
        continue;
      }
      if (c === '"') stack.pop();
    } else {
      if (top === undefined && /\s/.test(c)) {
        if (cur) words.push(cur);
        cur = '';
        continue;
      }
      if (c === '\\' && i + 1 < text.length) {
        cur += c + text[++i];
        continue;
      }
      if (c === '"' || c === "'") stack.push(c);
      else if (c === '(') stack.push(')');
      else if (c === ')' && top === ')') stack.pop();
    }
    cur += c;
  }
  if (cur) words.push(cur);
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
  const lines = renderBlock(cmd);
  const body = lines
    .slice(1)
    .map((l) => l.replace(/^\s*#\s?/, '').replace(/\\\s*$/, ''))
    .join(' ');
  const again = parseBuildCommand(body);
  return again.balanced && renderBlock(again).join('\n') === lines.join('\n');
}

function quoteIfNeeded(v: string): string {
  return /^[\w@%+=:,./-]+$/.test(v) ? v : `"${v.replace(/(["\\$`])/g, '\\$1')}"`;
}

/** The command on one line, for the report. */
export function commandLine(cmd: ParsedCommand): string {
  return renderBlock(cmd)
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
