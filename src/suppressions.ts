/**
 * Suppressions written in the Dockerfile itself (like ESLint's `eslint-disable-next-line` and
 * BuildKit's `# check=skip=`):
 *
 *   # dockerfix-ignore 7,09-stage-arg-scope     in the comment block right above an instruction:
 *                                               findings of those transforms on it are suppressed
 *   # dockerfix-ignore                          (no list) every transform, for that instruction
 *   # dockerfix: skip=7,10                      anywhere on its own line: for the whole file
 *   # dockerfix: skip=all
 *
 * A key is a number (`7`, `07`), an id (`07-builder-buildplatform`) or its slug
 * (`builder-buildplatform`). A suppressed finding is neither fixed nor counted; the runner
 * reports it apart, with `suppressed: true`.
 */
import type { DockerDoc } from './model/document.js';
import type { Transform } from './transform.js';

export interface Suppressions {
  /** Keys of the file-level `# dockerfix: skip=` lines (`*` for all). */
  file: Set<string>;
  /** Per instruction (its start offset in the text): keys of its `# dockerfix-ignore` lines. */
  byInstruction: Map<number, Set<string>>;
  /** Instruction spans in order, to find the one an offset belongs to. */
  spans: { start: number; end: number }[];
}

const IGNORE = /^[ \t]*#[ \t]*dockerfix-ignore(?:[ \t]+([^#\r\n]*?))?[ \t]*(?:#.*)?$/i;
const SKIP = /^[ \t]*#[ \t]*dockerfix:[ \t]*skip[ \t]*=[ \t]*([^#\r\n]*?)[ \t]*(?:#.*)?$/i;

const MAY_SUPPRESS = /dockerfix(?:-ignore|:)/i;

function keysOf(list: string | undefined): Set<string> {
  const keys = (list ?? '')
    .split(/[\s,]+/)
    .map((k) => k.trim().toLowerCase())
    .filter(Boolean);
  if (keys.length === 0 || keys.includes('all')) return new Set(['*']);
  return new Set(keys.map((k) => (/^\d+$/.test(k) ? String(Number(k)) : k)));
}

/** Read the suppression comments of a parsed Dockerfile. */
export function readSuppressions(doc: DockerDoc): Suppressions {
  // Both comment forms spell `dockerfix-ignore` or `dockerfix:`; most files have neither.
  if (!MAY_SUPPRESS.test(doc.text)) return { file: new Set(), byInstruction: new Map(), spans: [] };
  const spans = doc.instructions.map((i) => doc.span(i));
  const instructionLines = new Set<number>();
  for (const i of doc.instructions) {
    const r = i.getRange();
    for (let l = r.start.line; l <= r.end.line; l++) instructionLines.add(l);
  }
  const file = new Set<string>();
  const byInstruction = new Map<number, Set<string>>();
  for (const instr of doc.instructions) {
    // Walk up the comment block directly above the instruction (no blank line in between).
    const keys = new Set<string>();
    for (let line = instr.getRange().start.line - 1; line >= 0; line--) {
      if (instructionLines.has(line)) break;
      const text = doc.lineText(line);
      if (!/^[ \t]*#/.test(text)) break;
      const m = IGNORE.exec(text);
      if (m) keysOf(m[1]).forEach((k) => keys.add(k));
    }
    if (keys.size > 0) byInstruction.set(doc.span(instr).start, keys);
  }
  for (let line = 0; line < doc.lineStarts.length; line++) {
    if (instructionLines.has(line)) continue;
    const m = SKIP.exec(doc.lineText(line));
    if (m) keysOf(m[1]).forEach((k) => file.add(k));
  }
  return { file, byInstruction, spans };
}

function matches(keys: Set<string>, t: Transform): boolean {
  return (
    keys.has('*') ||
    keys.has(String(t.number)) ||
    keys.has(t.id.toLowerCase()) ||
    keys.has(t.id.replace(/^\d+-/, '').toLowerCase())
  );
}

/** Whether the whole file opts out of this transform. */
export function fileSuppresses(s: Suppressions, t: Transform): boolean {
  return matches(s.file, t);
}

/** The instruction an offset belongs to: the one containing it, else the next one. */
function instructionAt(s: Suppressions, offset: number): number | null {
  for (const span of s.spans) {
    if (offset <= span.end) return span.start;
  }
  return null;
}

/**
 * Whether a finding of `t` at these offsets (where it points and where its edits start) is
 * suppressed, for the file or for one of the instructions it touches.
 */
export function isSuppressed(s: Suppressions, t: Transform, offsets: number[]): boolean {
  if (fileSuppresses(s, t)) return true;
  if (s.byInstruction.size === 0) return false;
  return offsets.some((o) => {
    const start = instructionAt(s, o);
    const keys = start === null ? undefined : s.byInstruction.get(start);
    return keys !== undefined && matches(keys, t);
  });
}
