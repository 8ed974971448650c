/**
 * Two small transforms for the ecosystem tests, so they do not depend on what the real ones
 * fix today: one safe (keyword case), one unsafe (adds `-y` to apt-get install).
 */
import type { Finding, Transform } from '../../src/transform.js';

/** Safe: an instruction keyword written in lower or mixed case → upper case. */
export const upperKeywords: Transform = {
  id: '97-upper-keywords',
  number: 97,
  title: 'Write instruction keywords in upper case',
  safety: 'safe',
  sources: [],
  detect(doc) {
    const out: Finding[] = [];
    for (const instr of doc.instructions) {
      const kw = instr.getInstruction();
      if (kw === kw.toUpperCase()) continue;
      const { start } = doc.spanOf(instr.getInstructionRange());
      out.push({
        severity: 'warning',
        offset: start,
        message: `keyword ${kw} is not upper case`,
        edits: [{ start, end: start + kw.length, text: kw.toUpperCase() }],
      });
    }
    return out;
  },
};

/** Unsafe: `apt-get install` without `-y` → `apt-get install -y`. */
export const aptYes: Transform = {
  id: '98-apt-yes',
  number: 98,
  title: 'Answer yes to apt-get install prompts',
  safety: 'unsafe',
  sources: [],
  detect(doc) {
    const out: Finding[] = [];
    for (const instr of doc.instructions) {
      if (instr.getKeyword() !== 'RUN') continue;
      const { start, end } = doc.span(instr);
      const text = doc.text.slice(start, end);
      const m = /apt-get install(?! -y)/.exec(text);
      if (!m) continue;
      const at = start + m.index + 'apt-get install'.length;
      out.push({
        severity: 'error',
        offset: start,
        message: 'apt-get install without -y waits for an answer',
        edits: [{ start: at, end: at, text: ' -y' }],
      });
    }
    return out;
  },
};
