/**
 * COPY / ADD as data: flags (`--from`, `--chown`, `--parents` …), the sources with their exact
 * offsets (shell or JSON form, several sources, globs), and the destination. Heredoc sources
 * (`COPY <<EOF /x`) are marked, never treated as paths. dockerfile-ast's own argument splitting
 * breaks JSON strings on spaces, so the JSON form is scanned here from the source text.
 */
import type { Instruction } from 'dockerfile-ast';
import type { DockerDoc } from './document.js';
import type { Stage } from './stages.js';
import { flagsOf } from './stages.js';
import { ParseCache } from './parse-cache.js';

export interface CopyToken {
  /** The path as Docker sees it (JSON strings decoded). */
  value: string;
  /** Offsets of the token in the text (for JSON: including the quotes). */
  start: number;
  end: number;
}

export interface CopySource extends CopyToken {
  /** `http(s)://…` or a git URL (ADD only fetches them; never a context path). */
  remote: boolean;
  /** Contains `*`, `?` or `[` (Docker's filepath.Match). */
  glob: boolean;
  /** Contains `$`: expanded by the frontend, its value is unknown here. */
  variable: boolean;
  /** A `<<EOF` heredoc, not a path. */
  heredoc: boolean;
}

export interface CopyFlag {
  name: string;
  value: string | null;
}

export interface CopyInstruction {
  instruction: Instruction;
  keyword: 'COPY' | 'ADD';
  stage: Stage | null;
  flags: CopyFlag[];
  /** `--from` value, or null for a copy from the build context. */
  from: string | null;
  parents: boolean;
  json: boolean;
  /** Any source is a heredoc. */
  heredoc: boolean;
  sources: CopySource[];
  dest: CopyToken | null;
}

const REMOTE = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)|\.git(#|$)/i;
const GLOB = /[*?[]/;

/** Every COPY/ADD of the document (ONBUILD triggers excluded), in order. */
export function copyInstructions(doc: DockerDoc): CopyInstruction[] {
  // The list depends only on the parse: collect it once, hand out copies (callers may sort).
  let all = copyListCache.get(doc);
  if (all === undefined) {
    all = [];
    for (const instr of doc.instructions) {
      const parsed = parseCopy(doc, instr);
      if (parsed) all.push(parsed);
    }
    copyListCache.set(doc, all);
  }
  return all.slice();
}

const copyListCache = new ParseCache<DockerDoc, CopyInstruction[]>();

export function parseCopy(doc: DockerDoc, instr: Instruction): CopyInstruction | null {
  // Many transforms read the same COPY; an instruction belongs to one parse: scan it once.
  // Kept on the instance, like parser-speedups.ts does (a WeakMap entry per instruction costs
  // the garbage collector more); the field name is ours and cannot clash with the library's.
  const held = instr as unknown as { dockerfixCopy?: CopyInstruction | null };
  let parsed = held.dockerfixCopy;
  if (parsed === undefined) {
    parsed = scanCopy(doc, instr);
    held.dockerfixCopy = parsed;
  }
  return parsed;
}

function scanCopy(doc: DockerDoc, instr: Instruction): CopyInstruction | null {
  const kw = instr.getKeyword();
  if (kw !== 'COPY' && kw !== 'ADD') return null;
  const flags = flagsOf(instr).map((f) => ({
    name: f.getName().toLowerCase(),
    value: f.getValue(),
  }));
  const from = flags.find((f) => f.name === 'from')?.value ?? null;
  const parents = flags.some((f) => f.name === 'parents' && f.value !== 'false');
  const range = instr.getArgumentsRange();
  // Built as one literal (same fields, same order), not `{ ...base, … }`: profiles showed the
  // object spread costing more than the rest of the scan.
  const stage = doc.stages.stageOf(instr);
  const keyword = kw as 'COPY' | 'ADD';
  const make = (
    json: boolean,
    heredoc: boolean,
    sources: CopySource[],
    dest: CopyToken | null,
  ): CopyInstruction => ({
    instruction: instr,
    keyword,
    stage,
    flags,
    from,
    parents,
    json,
    heredoc,
    sources,
    dest,
  });
  if (!range) return make(false, false, [], null);
  const start = doc.offsetAt(range.start);
  const end = doc.offsetAt(range.end);
  const json = scanJsonArray(doc.text, start, end, doc.style.escape);
  let tokens: CopyToken[];
  if (json) {
    tokens = json;
  } else {
    tokens = instr.getArguments().map((a) => {
      const s = doc.spanOf(a.getRange());
      return { value: a.getValue(), start: s.start, end: s.end };
    });
    const heredocAt = tokens.findIndex((t) => t.value.startsWith('<<'));
    if (heredocAt >= 0) {
      // Keep the heredoc marker(s) and the destination; the body lines are not arguments.
      const heredocLine = doc.lineOf(tokens[heredocAt].start);
      tokens = tokens.filter((t) => doc.lineOf(t.start) === heredocLine);
    }
  }
  if (tokens.length === 0) return make(!!json, false, [], null);
  const dest = tokens[tokens.length - 1];
  const sources: CopySource[] = [];
  for (let i = 0; i < tokens.length - 1; i++) {
    const { value, start, end } = tokens[i];
    sources.push({
      value,
      start,
      end,
      remote: kw === 'ADD' && REMOTE.test(value),
      glob: GLOB.test(value),
      variable: value.includes('$'),
      heredoc: !json && value.startsWith('<<'),
    });
  }
  return make(
    !!json,
    sources.some((s) => s.heredoc),
    sources,
    dest,
  );
}

/**
 * The strings of a JSON array spanning exactly `[start, end)`, with offsets of each quoted
 * string, or null when the text is not a JSON array of strings (then Docker uses shell form).
 */
export function scanJsonArray(
  text: string,
  start: number,
  end: number,
  escape = '\\',
): CopyToken[] | null {
  let i = start;
  const continuation = /[ \t]*(\r\n|\r|\n)/y;
  const skipWs = () => {
    while (i < end) {
      if (/\s/.test(text[i])) {
        i++;
        continue;
      }
      continuation.lastIndex = i + 1;
      if (text[i] === escape && continuation.test(text)) {
        i = continuation.lastIndex;
        continue;
      }
      break;
    }
  };
  skipWs();
  if (text[i] !== '[') return null;
  i++;
  const tokens: CopyToken[] = [];
  skipWs();
  if (text[i] === ']') {
    i++;
    skipWs();
    return i === end ? tokens : null;
  }
  for (;;) {
    skipWs();
    if (text[i] !== '"') return null;
    const s = i;
    i++;
    while (i < end && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= end) return null;
    i++;
    let value: unknown;
    try {
      value = JSON.parse(text.slice(s, i));
    } catch {
      return null;
    }
    tokens.push({ value: value as string, start: s, end: i });
    skipWs();
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === ']') {
      i++;
      break;
    }
    return null;
  }
  skipWs();
  return i === end ? tokens : null;
}

/**
 * Text for a source path rewritten to `value`, in the token's own form: a JSON string for the
 * JSON form, else the bare word (a word with blanks cannot be written in shell form: null).
 */
export function sourceText(copy: CopyInstruction, value: string): string | null {
  if (copy.json) return JSON.stringify(value);
  return /\s/.test(value) ? null : value;
}
