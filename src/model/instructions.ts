/** Small, shared readers of instruction text that several transforms need. */
import type { Instruction } from 'dockerfile-ast';
import type { DockerDoc } from './document.js';

/** The instruction's full source text (keyword, flags, arguments, continuations). */
export function sourceOf(doc: DockerDoc, instr: Instruction): string {
  const { start, end } = doc.span(instr);
  return doc.slice(start, end);
}

/** The command text of a RUN (arguments without flags), with line continuations joined. */
export function runCommand(doc: DockerDoc, instr: Instruction): string {
  const raw = instr.getRawArgumentsContent() ?? '';
  const esc = doc.style.escape === '`' ? '`' : '\\\\';
  return raw
    .replace(new RegExp(`${esc}[ \\t]*(\\r\\n|\\r|\\n)`, 'g'), ' ')
    .replace(/^(\s*--\S+)+\s*/, '');
}
