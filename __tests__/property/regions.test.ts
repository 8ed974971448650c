/** The changed-region reader the "every changed line has a fixed finding" property relies on. */
import { describe, expect, test } from '@jest/globals';
import { changedRegions } from './properties.js';

describe('changedRegions', () => {
  test('a plain deletion stays a region of its own', () => {
    expect(changedRegions('a\nb\nc\nd\ne\n', 'a\nb\nd\ne\n')).toEqual([{ from: 3, to: 2 }]);
  });

  test('an insertion is the inserted lines', () => {
    expect(changedRegions('a\nb\nc\nd\n', 'a\nb\nX\nY\nc\nd\n')).toEqual([{ from: 3, to: 4 }]);
  });

  test('a moved line is checked where it landed, not where the diff deleted it', () => {
    // "m" moves from line 2 to after "e": only its new place is a region.
    const regions = changedRegions('a\nm\nb\nc\nd\ne\nf\n', 'a\nb\nc\nd\ne\nm\nf\n');
    expect(regions).toEqual([{ from: 6, to: 6 }]);
  });

  test('a deleted line that is not added back elsewhere is still reported', () => {
    const regions = changedRegions('a\nm\nb\nc\nd\ne\nf\n', 'a\nb\nc\nd\ne\nn\nf\n');
    expect(regions).toEqual([
      { from: 2, to: 1 },
      { from: 6, to: 6 },
    ]);
  });

  test('a kept byte-order mark does not make an insertion at the top look like a change below', () => {
    // The long property run's counterexample: a block inserted after the BOM, before three
    // identical lines, was read as line 1 changed and the third line added at the end.
    const input = '\uFEFFA\nA\nA\n\nFROM x';
    const output = '\uFEFF# c\n# d\n\nA\nA\nA\n\nFROM x';
    expect(changedRegions(input, output)).toEqual([{ from: 1, to: 3 }]);
  });
});
