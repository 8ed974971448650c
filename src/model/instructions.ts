/** Small, shared readers of instruction text that several transforms need. */
import type { Instruction } from 'dockerfile-ast';
import type { DockerDoc } from './document.js';
import { insertAt, type Edit } from '../edits.js';

/** A line continuation (escape, blanks, line break) for each escape character. */
const CONTINUATION = { '\\': /\\[ \t]*(\r\n|\r|\n)/g, '`': /`[ \t]*(\r\n|\r|\n)/g };

/** The command text of a RUN (arguments without flags), with line continuations joined. */
export function runCommand(doc: DockerDoc, instr: Instruction): string {
  // Asked for the same RUN by several transforms: kept on the instance with the escape it
  // was computed for (the field name is ours, see parser-speedups).
  const escape = doc.style.escape === '`' ? '`' : '\\';
  const held = instr as unknown as { dockerfixRunCommand?: { escape: string; text: string } };
  const cached = held.dockerfixRunCommand;
  if (cached !== undefined && cached.escape === escape) return cached.text;
  const raw = instr.getRawArgumentsContent() ?? '';
  const text = raw.replace(CONTINUATION[escape], ' ').replace(/^(\s*--\S+)+\s*/, '');
  held.dockerfixRunCommand = { escape, text };
  return text;
}

/**
 * The instruction swallows the next line: its text, without trailing comment lines, ends with
 * the escape character, or it opens a heredoc that is never closed.
 */
export function danglingContinuation(doc: DockerDoc, instr: Instruction): boolean {
  const heredocs =
    (
      instr as unknown as { getHeredocs?: () => { getDelimiterRange(): unknown }[] }
    ).getHeredocs?.() ?? [];
  if (heredocs.some((h) => h.getDelimiterRange() === null)) return true;
  const { start, end } = doc.span(instr);
  const lines = doc.slice(start, end).split(/\r\n|\r|\n/);
  while (lines.length > 1 && /^\s*(#.*)?$/.test(lines[lines.length - 1])) lines.pop();
  return lines[lines.length - 1].trimEnd().endsWith(doc.style.escape);
}

/**
 * The edit that adds `lines` (already indented, without line breaks) on new lines after
 * `instr`, in the file's line ending; undefined when `instr` would swallow them (see
 * danglingContinuation), so the caller reports instead of editing.
 */
export function linesAfter(
  doc: DockerDoc,
  instr: Instruction,
  lines: string[],
): Edit[] | undefined {
  if (danglingContinuation(doc, instr)) return undefined;
  const eol = doc.style.eol;
  return [insertAt(doc.span(instr).end, lines.map((l) => eol + l).join(''))];
}
