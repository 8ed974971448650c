/**
 * 18's comment below a FROM takes that FROM line's own line break. A random-seed property run
 * found a file with `\r` line breaks whose FROM line alone ended in `\n`: the comment went in
 * with the file's `\r` before that `\n`, forming a `\r\n` the file never had (the runner's
 * safety net refused the output, so 18 fixed nothing there).
 * A unit test rather than a fixture: fixture inputs seed the property suite's mutations.
 */
import { describe, expect, test } from '@jest/globals';
import { runTransforms } from '../../src/runner.js';
import { defaultContext } from '../../src/context.js';
import { allTransforms } from '../../transforms/index.js';

const t18 = allTransforms.filter((t) => t.id === '18-critical-comments');

describe('18 in a file that mixes line breaks', () => {
  test('the comment below a FROM ending in LF, in a CR file, adds no CRLF', () => {
    const input =
      'ARG PYTHON_VERSION=3.11\rFROM --platform=$BUILDPLATFORM python:3.11-slim AS builder\n' +
      'RUN pip install --user -r requirements.txt\rFROM python:3.11-slim\rCOPY --from=builder /root/.local /root/.local\r';
    const r = runTransforms(input, t18, defaultContext());
    expect(r.findings.filter((f) => f.message.includes('internal error'))).toEqual([]);
    expect(r.text).not.toContain('\r\n');
    expect(r.text).toContain('AS builder\n# CRITICAL: --platform=$BUILDPLATFORM');
  });
});
