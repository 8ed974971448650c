/**
 * Edits as data: `{start, end, text}` on the text a transform saw. The runner sorts them,
 * rejects overlaps, and applies them by splicing the text (what MagicString did for them, without
 * loading it on every run: __tests__/edits.test.ts compares the two).
 */
import { lineIndexAt } from './model/document.js';

export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** An edit with 1-based line/column bounds on the text it applies to (columns in UTF-16 units). */
export interface LocatedEdit extends Edit {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** Line/column bounds of an edit, from the line starts of the text it applies to. */
export function locateEdit(e: Edit, lineStarts: number[]): LocatedEdit {
  const startLine = lineIndexAt(lineStarts, e.start);
  const endLine = lineIndexAt(lineStarts, e.end);
  return {
    ...e,
    startLine: startLine + 1,
    startColumn: e.start - lineStarts[startLine] + 1,
    endLine: endLine + 1,
    endColumn: e.end - lineStarts[endLine] + 1,
  };
}

export function insertAt(offset: number, text: string): Edit {
  return { start: offset, end: offset, text };
}

export function replaceRange(start: number, end: number, text: string): Edit {
  return { start, end, text };
}

/** Two edits conflict when their ranges overlap, or when both insert at the same point. */
export function editsOverlap(a: Edit, b: Edit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

export function sortEdits(edits: Edit[]): Edit[] {
  return [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * Apply non-overlapping edits to `text`. Throws on overlap or out-of-range edits.
 * Sorted and checked against its predecessor, each edit starts at or after the end of the one
 * before, so the result is the text between the edits with each edit's text in its place (an
 * insertion at the end of a replaced range comes after the replacement, one at its start before).
 */
export function applyEdits(text: string, edits: Edit[]): string {
  if (edits.length === 0) return text;
  const parts: string[] = [];
  let previous: Edit | null = null;
  for (const e of sortEdits(edits)) {
    if (e.start < 0 || e.end > text.length || e.start > e.end) {
      throw new Error(`edit out of range: ${e.start}-${e.end} of ${text.length}`);
    }
    if (previous && editsOverlap(previous, e)) {
      throw new Error(`overlapping edits at ${e.start}`);
    }
    parts.push(text.slice(previous ? previous.end : 0, e.start), e.text);
    previous = e;
  }
  parts.push(text.slice(previous!.end));
  return parts.join('');
}

/**
 * Where an offset of the old text lands after the (sorted, non-overlapping) edits. An
 * insertion at the offset pushes it forward: the inserted text comes before what it pointed at.
 */
export function mapOffset(offset: number, edits: Edit[]): number {
  let delta = 0;
  for (const e of sortEdits(edits)) {
    const growth = e.text.length - (e.end - e.start);
    if (e.start === e.end) {
      if (e.start <= offset) delta += growth;
      else break;
    } else if (e.end <= offset) {
      delta += growth;
    } else if (e.start < offset) {
      return e.start + delta;
    } else {
      break;
    }
  }
  return offset + delta;
}
