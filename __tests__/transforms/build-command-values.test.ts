/**
 * Values 12 leaves out of the build command it writes.
 *
 * 12 writes the build command one option per comment line; a value written over several lines
 * (an `ARG TARGETPLATFORM=` default with a line continuation) is left out rather than breaking
 * the comment block. A random-seed property run found the value's second line written as a
 * bare line, which then parsed as an instruction.
 * A unit test rather than a fixture: fixture inputs seed the property suite's mutations.
 */
import { describe, expect, test } from '@jest/globals';
import { runTransforms } from '../../src/runner.js';
import { defaultContext } from '../../src/context.js';
import { allTransforms } from '../../transforms/index.js';
import { DockerfileParser } from '../../src/model/ast.js';

const t12 = allTransforms.filter((t) => t.id === '12-build-command');

describe('12 and the values it leaves out', () => {
  test('a continued ARG TARGETPLATFORM default gives no --platform', () => {
    const input = 'ARG TARGETPLATFORM=\\\n1\nFROM python:3.11-slim AS builder0\n\nFROM builde';
    const out = runTransforms(input, t12, defaultContext()).text;
    const block = out.slice(0, out.indexOf('ARG TARGETPLATFORM'));
    expect(block.split('\n').filter((l) => l !== '' && !l.startsWith('#'))).toEqual([]);
    expect(block).not.toContain('--platform');
    expect(
      DockerfileParser.parse(out)
        .getInstructions()
        .map((i) => i.getKeyword()),
    ).toEqual(
      DockerfileParser.parse(input)
        .getInstructions()
        .map((i) => i.getKeyword()),
    );
  });

  test('a global default that refers to another ARG is not passed as a build arg', () => {
    // Passed, `${REGISTRY}` would be expanded by the user's shell (or reach BuildKit literally),
    // not where the default is written: the FROM would name another image.
    const input =
      'ARG REGISTRY=docker.io\nARG BUILDER_IMAGE=${REGISTRY}/library/golang:1.22\n' +
      'FROM ${BUILDER_IMAGE} AS builder\nRUN go version\n';
    const out = runTransforms(input, t12, defaultContext()).text;
    expect(out).toContain('--build-arg REGISTRY="docker.io"');
    expect(out).not.toContain('--build-arg BUILDER_IMAGE');
    expect(out).toContain('ARG BUILDER_IMAGE=${REGISTRY}/library/golang:1.22\n');
  });

  test('a one-line default is still the platform', () => {
    const input = 'ARG TARGETPLATFORM=linux/arm64\nFROM alpine\n';
    expect(runTransforms(input, t12, defaultContext()).text).toContain('--platform linux/arm64');
  });
});
