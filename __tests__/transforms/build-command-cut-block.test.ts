/**
 * A build-command block with a line that lost its closing `\` while more of the command follows
 * is left as written, with a warning. A random-seed property run found 12 rewriting the part
 * before the cut and leaving `--push \` and `.` behind as stray comment lines.
 * A unit test rather than a fixture: fixture inputs seed the property suite's mutations.
 */
import { describe, expect, test } from '@jest/globals';
import { runTransforms } from '../../src/runner.js';
import { defaultContext } from '../../src/context.js';
import { allTransforms } from '../../transforms/index.js';

const t12 = allTransforms.filter((t) => t.id === '12-build-command');

const block = (tagLine: string) =>
  '# Build command (dockerfix), run from the build context root:\n' +
  '#   docker buildx build \\\n' +
  '#     --platform linux/arm64 \\\n' +
  tagLine +
  '#     --push \\\n' +
  '#     .\n';

describe('a build-command block cut short', () => {
  test.each([
    ['a lost backslash', '#     --tag acme/app:latest\n'],
    ['text after the backslash', '#     --tag acme/app:latest \\\u0000\n'],
  ])('%s: left as written, with a warning', (_, tagLine) => {
    const input = block(tagLine) + 'FROM --platform=$TARGETPLATFORM alpine:3.20\n';
    const r = runTransforms(input, t12, defaultContext());
    expect(r.text).toBe(input);
    expect(r.findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        fixed: false,
        message: expect.stringContaining('followed by more of the command'),
      }),
    ]);
  });

  test('a whole block is still updated', () => {
    const input = block('#     --tag acme/app:latest \\\n') + 'FROM alpine:3.20\n';
    const r = runTransforms(input, t12, defaultContext());
    expect(r.text).toContain('--file Dockerfile');
    expect(r.findings.some((f) => f.fixed)).toBe(true);
  });
});
