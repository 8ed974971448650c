/**
 * Where 18 puts its comment below a FROM.
 *
 * It takes that FROM line's own line break. A random-seed property run
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

describe('18 below a FROM', () => {
  test('the comment below a FROM ending in LF, in a CR file, adds no CRLF', () => {
    const input =
      'ARG PYTHON_VERSION=3.11\rFROM --platform=$BUILDPLATFORM python:3.11-slim AS builder\n' +
      'RUN pip install --user -r requirements.txt\rFROM python:3.11-slim\rCOPY --from=builder /root/.local /root/.local\r';
    const r = runTransforms(input, t18, defaultContext());
    expect(r.findings.filter((f) => f.message.includes('internal error'))).toEqual([]);
    expect(r.text).not.toContain('\r\n');
    expect(r.text).toContain('AS builder\n# CRITICAL: --platform=$BUILDPLATFORM');
  });

  test('no comment below a FROM whose last line continues (it would become one of its lines)', () => {
    // A random-seed property run: the comment went below `--platform=linux/arm64 \``, the FROM
    // took it in, and the next run added another below the longer FROM (not idempotent).
    const input =
      '# escape=`\nFROM python:3.12-slim AS build\nRUN pip wheel --wheel-dir /w .\n\n' +
      'FROM `\n  --platform=linux/arm64 `';
    const first = runTransforms(input, allTransforms, defaultContext());
    expect(first.text).not.toContain('pins this stage');
    expect(runTransforms(first.text, allTransforms, defaultContext()).text).toBe(first.text);
  });
});
