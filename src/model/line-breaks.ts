/**
 * Line breaks as dockerfile-ast and its text document count them: CRLF, lone CR, LF (a CR followed
 * by LF is one CRLF). One module for the parser patch (parser-speedups.ts) and the document model.
 */
import type { Eol } from './document.js';

/** Offset of the first character of each line (line breaks: CRLF, lone CR, LF). */
export function lineStartsOf(text: string): number[] {
  return scanLineBreaks(text).starts;
}

export interface LineBreaks {
  /** Offset of the first character of each line. */
  starts: number[];
  /** How many line breaks of each kind the text has. */
  counts: Record<Eol, number>;
}

/**
 * One pass over the line breaks (CRLF, lone CR, LF — a CR followed by LF is one CRLF): where
 * each line starts and how many breaks of each kind there are. A text without CR is scanned
 * with indexOf for LF only.
 */
export function scanLineBreaks(text: string): LineBreaks {
  const starts = [0];
  const counts: Record<Eol, number> = { '\n': 0, '\r\n': 0, '\r': 0 };
  if (text.indexOf('\r') < 0) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    counts['\n'] = starts.length - 1;
    return { starts, counts };
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      counts['\n']++;
      starts.push(i + 1);
    } else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) {
        counts['\r\n']++;
        i++;
      } else {
        counts['\r']++;
      }
      starts.push(i + 1);
    }
  }
  return { starts, counts };
}
