/**
 * 13 leaves a build-command block that 12 cannot read (an unclosed quote or `$(`) as written,
 * like 12 does. A random-seed property run found 13 replacing `$(git rev-parse …)` inside such a
 * block: the block became readable, and the next run's 12 rewrote it (not idempotent).
 * A unit test rather than a fixture: fixture inputs seed the property suite's mutations.
 */
import { describe, expect, test } from '@jest/globals';
import { runTransforms } from '../../src/runner.js';
import { defaultContext } from '../../src/context.js';
import { allTransforms } from '../../transforms/index.js';

const BLOCK =
  '# Build command (dockerfix), run from the build context root:\n' +
  '#   docker buildx build \\\n' +
  '#     --file Dockerfile \\\n' +
  '#     --build-arg VCS_RE$(git rev-parse --short HEAD)" \\\n' +
  '#     --tag app:latest \\\n' +
  '#     --push \\\n' +
  '#     .\n';
const INPUT =
  BLOCK +
  '\nARG VCS_REF\nFROM gcr.io/distroless/python3-debian12\nARG VCS_REF\n' +
  'LABEL org.opencontainers.image.revision=$VCS_REF\n';

describe('13 and a build-command block 12 cannot read', () => {
  test('the block is left as written, and one run reaches the fixed point', () => {
    const first = runTransforms(INPUT, allTransforms, defaultContext());
    expect(first.text.startsWith(BLOCK)).toBe(true);
    expect(runTransforms(first.text, allTransforms, defaultContext()).text).toBe(first.text);
  });

  test('a readable block still gets "manual-build"', () => {
    const readable = BLOCK.replace('VCS_RE$(', 'VCS_REF="$(');
    const out = runTransforms(
      readable + '\nARG VCS_REF=x\nFROM alpine\n',
      allTransforms,
      defaultContext(),
    );
    expect(out.text).toContain('--build-arg VCS_REF="manual-build"');
  });
});
