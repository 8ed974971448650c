/** A counterexample of the long property run: the checker, not the fix, was wrong. */
import { describe, expect, test } from '@jest/globals';
import { corpusContext, violations } from './properties.js';
import { allTransforms } from '../../transforms/index.js';

describe('every changed line has a fixed finding', () => {
  test('a moved multi-line build step whose last line the diff shows as added', () => {
    // 17 moves the three-line RUN (two lines joined by the ` continuation) below the marker;
    // the line diff keeps its first two lines in place and "adds" its last line at the end.
    const input =
      '# escape=`\nFROM python:3.11-slim\nWORKDIR /app\nRUN python setup.py build && `\n' +
      'RUN python setup.py build && `\n    python -m compileall .\nCOPY pkg/ ./pkg/\n' +
      'RUN echo "X_SOURCE_$(date +%s)" > pkg/.x-source-marker';
    expect(violations(input, allTransforms, corpusContext('root'))).toEqual([]);
  });
});
