/**
 * The build-command block's extent (12, 13): a block ends at the first line that does not
 * continue it, and a block whose `\` leads into a line that is not part of it is left alone
 * (warning) instead of being rewritten around the stray line (which left the rest of the old
 * command behind as duplicate lines: the open counterexample of docs/safety.md).
 */
import { describe, expect, test } from '@jest/globals';
import { parseDocument } from '../../src/model/document.js';
import { findBuildCommandBlock, splitWords } from '../../src/model/build-command.js';
import { defaultContext } from '../../src/context.js';
import { runTransforms } from '../../src/runner.js';
import buildCommand from '../../transforms/12-build-command.js';
import vcsRef from '../../transforms/13-vcs-ref-without-git.js';

const ctx = defaultContext({ contextRoot: '/repo', dockerfilePath: '/repo/svc/Dockerfile' });

/** The counterexample the fuzzer found: an unrelated comment inside a hand-written block. */
const SPLIT_BY_DIRECTIVE_LOOKALIKE = [
  '#   docker buildx build \\',
  '#     --provenance=false \\',
  '# syntax=docker/dockerfile:1',
  '#     --push \\',
  '#     .',
  'FROM alpine',
  'RUN true',
  '',
].join('\n');

const SPLIT_BY_NOTE = [
  'FROM alpine',
  '# docker build \\',
  '#   --tag acme/app:1 \\',
  '# (the tag is bumped by CI)',
  '#   .',
  'RUN true',
  '',
].join('\n');

describe('a block split by a line that does not continue it', () => {
  for (const [name, input] of [
    ['an unrelated comment (# syntax=…)', SPLIT_BY_DIRECTIVE_LOOKALIKE],
    ['a note not indented like the continuations', SPLIT_BY_NOTE],
    ['a blank line', 'FROM alpine\n# docker build \\\n\n#   -t a/b .\nRUN true\n'],
    ['an instruction', '# docker build -t a/b \\\nFROM alpine\nRUN true\n'],
    ['the end of the file', 'FROM alpine\n# docker build -t a/b \\'],
  ]) {
    test(`is not rewritten: ${name}`, () => {
      const result = runTransforms(input, [buildCommand, vcsRef], ctx);
      expect(result.text).toBe(input);
      const own = result.findings.filter((f) => f.transform === '12-build-command');
      expect(own).toHaveLength(1);
      expect(own[0]).toMatchObject({ severity: 'warning', fixed: false });
      expect(own[0].message).toMatch(/does not continue it.*not updated/);
    });
  }

  test('the block ends at the line before the stray one, and is marked dangling', () => {
    const doc = parseDocument(SPLIT_BY_DIRECTIVE_LOOKALIKE);
    const block = findBuildCommandBlock(doc)!;
    expect(block).toMatchObject({ firstLine: 0, lastLine: 1, hasHeader: false, dangling: true });
    // The warning points at the line whose `\` leads nowhere.
    const [finding] = runTransforms(SPLIT_BY_DIRECTIVE_LOOKALIKE, [buildCommand], ctx).findings;
    expect(finding.line).toBe(2);
  });

  test('13 still replaces git in the lines it can read, and nowhere else', () => {
    const input = [
      'FROM alpine',
      '# docker build \\',
      '#   --build-arg GIT_SHA=$(git rev-parse HEAD) \\',
      '# note',
      '#   --build-arg REV=$(git rev-parse HEAD) .',
      '',
    ].join('\n');
    const result = runTransforms(input, [buildCommand, vcsRef], ctx);
    expect(result.text.split('\n')).toEqual([
      'FROM alpine',
      '# docker build \\',
      '#   --build-arg GIT_SHA="manual-build" \\',
      '# note',
      '#   --build-arg REV=$(git rev-parse HEAD) .',
      '',
    ]);
  });
});

describe('blocks that do continue are still updated in place', () => {
  test('a hand-written block indented deeper after the # is read whole and rewritten once', () => {
    const input = [
      'FROM alpine',
      '# docker build \\',
      '#   --provenance=false \\',
      '#   -t acme/app:1 .',
      'RUN true',
      '',
    ].join('\n');
    const block = findBuildCommandBlock(parseDocument(input))!;
    expect(block).toMatchObject({ firstLine: 1, lastLine: 3, dangling: false });
    const first = runTransforms(input, [buildCommand, vcsRef], ctx);
    expect(first.text.split('\n')).toEqual([
      'FROM alpine',
      '# Build command (dockerfix), run from the build context root:',
      '#   docker buildx build \\',
      '#     --file svc/Dockerfile \\',
      '#     --provenance=false \\',
      '#     --tag acme/app:1 \\',
      '#     --push \\',
      '#     .',
      'RUN true',
      '',
    ]);
    const second = runTransforms(first.text, [buildCommand, vcsRef], ctx);
    expect(second.text).toBe(first.text);
    expect(findBuildCommandBlock(parseDocument(first.text))).toMatchObject({
      firstLine: 1,
      lastLine: 7,
      hasHeader: true,
      dangling: false,
    });
  });

  test('a one-line command with a comment right after it is not dangling', () => {
    const input = 'FROM alpine\n# docker build -t a/b .\n# unrelated\nRUN true\n';
    expect(findBuildCommandBlock(parseDocument(input))).toMatchObject({
      firstLine: 1,
      lastLine: 1,
      dangling: false,
    });
  });
});

describe('finding the block', () => {
  test('a command comment inside an instruction (a continuation) is not a block', () => {
    const doc = parseDocument(
      'FROM alpine\nRUN a \\\n# docker build -t x .\n  && b\n# docker build -t y .\n',
    );
    expect(findBuildCommandBlock(doc)).toMatchObject({ firstLine: 4, lastLine: 4 });
  });

  test('the first block of the file, after lines that mention build without a command', () => {
    const doc = parseDocument(
      '# build notes: see docs\nFROM alpine\nRUN make build\n# podman build -t x .\n# docker build .\n',
    );
    expect(findBuildCommandBlock(doc)).toMatchObject({ firstLine: 3, lastLine: 3 });
    expect(findBuildCommandBlock(parseDocument('FROM alpine\nRUN true\n'))).toBeNull();
  });

  test('computed once per parse', () => {
    const doc = parseDocument(SPLIT_BY_NOTE);
    expect(findBuildCommandBlock(doc)).toBe(findBuildCommandBlock(doc));
  });

  test('words split on the blanks /\\s/ matches, quotes and groups kept as written', () => {
    expect(splitWords('a\u00a0b\u3000c\td  e')).toEqual({
      words: ['a', 'b', 'c', 'd', 'e'],
      balanced: true,
    });
    expect(splitWords(`x "a b\\" $(c "d e")" 'f g' (h i) j\\ k "open`)).toEqual({
      words: ['x', '"a b\\" $(c "d e")"', "'f g'", '(h i)', 'j\\ k', '"open'],
      balanced: false,
    });
  });
});
