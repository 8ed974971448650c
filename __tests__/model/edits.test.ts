/** Edits as data: overlap rules, application, and offset mapping through edits. */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import MagicString from 'magic-string';
import {
  type Edit,
  applyEdits,
  editsOverlap,
  insertAt,
  mapOffset,
  replaceRange,
  sortEdits,
} from '../../src/edits.js';

describe('editsOverlap', () => {
  test('ranges that share characters overlap; touching ranges do not', () => {
    expect(editsOverlap(replaceRange(0, 5, 'x'), replaceRange(4, 8, 'y'))).toBe(true);
    expect(editsOverlap(replaceRange(2, 3, 'x'), replaceRange(0, 9, 'y'))).toBe(true);
    expect(editsOverlap(replaceRange(0, 5, 'x'), replaceRange(5, 8, 'y'))).toBe(false);
  });

  test('two insertions conflict only at the same point', () => {
    expect(editsOverlap(insertAt(3, 'a'), insertAt(3, 'b'))).toBe(true);
    expect(editsOverlap(insertAt(3, 'a'), insertAt(4, 'b'))).toBe(false);
  });

  test('an insertion inside a replaced range overlaps; at its edges it does not', () => {
    expect(editsOverlap(insertAt(3, 'a'), replaceRange(2, 5, 'x'))).toBe(true);
    expect(editsOverlap(insertAt(2, 'a'), replaceRange(2, 5, 'x'))).toBe(false);
    expect(editsOverlap(insertAt(5, 'a'), replaceRange(2, 5, 'x'))).toBe(false);
  });
});

describe('applyEdits', () => {
  test('applies in any order given, untouched bytes stay identical', () => {
    const text = 'FROM a\r\nRUN b\r\n';
    const out = applyEdits(text, [insertAt(8, 'ARG X\r\n'), replaceRange(5, 6, 'alpine')]);
    expect(out).toBe('FROM alpine\r\nARG X\r\nRUN b\r\n');
  });

  test('an insertion right before a replacement keeps both', () => {
    expect(applyEdits('abcdef', [replaceRange(2, 4, 'XY'), insertAt(2, '>')])).toBe('ab>XYef');
    expect(applyEdits('abcdef', [insertAt(4, '<'), replaceRange(2, 4, 'XY')])).toBe('abXY<ef');
  });

  test('astral characters: offsets are UTF-16 units', () => {
    const text = 'LABEL e="😀" v=$X';
    const at = text.indexOf('$X');
    expect(applyEdits(text, [replaceRange(at, at + 2, '${X:-d}')])).toBe('LABEL e="😀" v=${X:-d}');
  });

  test('rejects overlaps and out-of-range edits; no edits returns the same text', () => {
    expect(() => applyEdits('abcdef', [replaceRange(0, 3, 'x'), replaceRange(2, 4, 'y')])).toThrow(
      /overlapping/,
    );
    expect(() => applyEdits('abc', [insertAt(1, 'x'), insertAt(1, 'y')])).toThrow(/overlapping/);
    expect(() => applyEdits('abc', [replaceRange(2, 9, 'x')])).toThrow(/out of range/);
    expect(() => applyEdits('abc', [replaceRange(-1, 1, 'x')])).toThrow(/out of range/);
    expect(() => applyEdits('abc', [replaceRange(2, 1, 'x')])).toThrow(/out of range/);
    expect(applyEdits('abc', [])).toBe('abc');
  });

  // applyEdits splices the text itself; it used to apply the edits with MagicString (appendLeft
  // for an insertion, update for a replacement, in sorted order). Same result, same throws.
  test('same text as MagicString for any non-overlapping edits, and throws where it threw', () => {
    const viaMagicString = (text: string, edits: Edit[]): string => {
      const s = new MagicString(text);
      let previous: Edit | null = null;
      for (const e of sortEdits(edits)) {
        if (e.start < 0 || e.end > text.length || e.start > e.end) throw new Error('range');
        if (previous && editsOverlap(previous, e)) throw new Error('overlap');
        if (e.start === e.end) s.appendLeft(e.start, e.text);
        else s.update(e.start, e.end, e.text);
        previous = e;
      }
      return s.toString();
    };
    const outcome = (f: () => string) => {
      try {
        return f();
      } catch {
        return null;
      }
    };
    const input = fc.string({ maxLength: 12 }).chain((text) =>
      fc.record({
        text: fc.constant(text),
        edits: fc.array(
          fc
            .record({
              a: fc.integer({ min: 0, max: text.length }),
              b: fc.integer({ min: 0, max: text.length }),
              text: fc.constantFrom('', 'x', 'YZ', '\n'),
            })
            .map(({ a, b, text: t }) => ({ start: Math.min(a, b), end: Math.max(a, b), text: t })),
          { maxLength: 5 },
        ),
      }),
    );
    fc.assert(
      fc.property(input, ({ text, edits }) => {
        expect(outcome(() => applyEdits(text, edits))).toBe(
          outcome(() => viaMagicString(text, edits)),
        );
      }),
      { numRuns: 3000 },
    );
  });

  test('sortEdits orders by start, then end, without mutating its input', () => {
    const edits = [replaceRange(5, 6, 'a'), insertAt(2, 'b'), replaceRange(2, 4, 'c')];
    expect(sortEdits(edits)).toEqual([
      insertAt(2, 'b'),
      replaceRange(2, 4, 'c'),
      replaceRange(5, 6, 'a'),
    ]);
    expect(edits[0]).toEqual(replaceRange(5, 6, 'a'));
  });
});

describe('mapOffset', () => {
  const edits = [replaceRange(2, 4, 'WXYZ'), insertAt(6, '++')];
  // 'abcdefgh' -> 'abWXYZef++gh'

  test('before any edit: unchanged', () => {
    expect(mapOffset(1, edits)).toBe(1);
    expect(mapOffset(2, edits)).toBe(2);
  });

  test('inside a replaced range: the start of the replacement', () => {
    expect(mapOffset(3, edits)).toBe(2);
  });

  test('after a replacement: shifted by its growth', () => {
    expect(mapOffset(4, edits)).toBe(6);
    expect(mapOffset(5, edits)).toBe(7);
  });

  test('an insertion at the offset pushes it forward; after it, shifted by both', () => {
    expect(mapOffset(6, edits)).toBe(10);
    expect(mapOffset(7, edits)).toBe(11);
    const text = 'abcdefgh';
    const out = applyEdits(text, edits);
    expect(out).toBe('abWXYZef++gh');
    expect(out[mapOffset(6, edits)]).toBe(text[6]);
    expect(out[mapOffset(7, edits)]).toBe(text[7]);
  });

  test('a deletion moves later offsets back', () => {
    expect(mapOffset(8, [replaceRange(0, 3, '')])).toBe(5);
  });
});
