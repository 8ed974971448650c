/**
 * 09 copies the default an ARG has elsewhere, unless that default refers to variables: written
 * in the stage, the reference would expand in the stage's scope instead of the global one. A
 * random-seed property run found `ARG VERSION=--platform=$TARGETPLATFORM` copied into a stage,
 * where the next run then declared `ARG TARGETPLATFORM` (not idempotent).
 * A unit test rather than a fixture: fixture inputs seed the property suite's mutations.
 */
import { describe, expect, test } from '@jest/globals';
import { runTransforms } from '../../src/runner.js';
import { defaultContext } from '../../src/context.js';
import { allTransforms } from '../../transforms/index.js';

const t09 = allTransforms.filter((t) => t.id === '09-stage-arg-scope');

describe('09 and defaults it does not copy', () => {
  test('a global default with a variable gives a bare ARG (the global value)', () => {
    const input = 'ARG TAG=v-$TARGETARCH\nFROM alpine\nLABEL tag=$TAG\n';
    const first = runTransforms(input, t09, defaultContext());
    expect(first.text).toBe('ARG TAG=v-$TARGETARCH\nFROM alpine\nARG TAG\nLABEL tag=$TAG\n');
    expect(runTransforms(first.text, t09, defaultContext()).text).toBe(first.text);
  });

  test.each([
    ['an open quote', 'ARG RELEASE="\nFROM debian\nLABEL r=$RELEASE\n'],
    ['a backslash', 'ARG RELEASE=a\\b\nFROM debian\nLABEL r=$RELEASE\n'],
  ])('a default with %s gives a bare ARG', (_, input) => {
    const out = runTransforms(input, t09, defaultContext()).text;
    expect(out).toContain('FROM debian\nARG RELEASE\nLABEL');
  });

  test('a literal default still travels with the ARG', () => {
    const input = 'ARG TAG=1.0\nFROM alpine\nLABEL tag=$TAG\n';
    expect(runTransforms(input, t09, defaultContext()).text).toBe(
      'ARG TAG=1.0\nFROM alpine\nARG TAG=1.0\nLABEL tag=$TAG\n',
    );
    const quoted = 'ARG TAG="1.0 LTS"\nFROM alpine\nLABEL tag=$TAG\n';
    expect(runTransforms(quoted, t09, defaultContext()).text).toContain('ARG TAG="1.0 LTS"\nLABEL');
  });

  test('the property run counterexample: one run of all transforms reaches the fixed point', () => {
    const input =
      'ARG VERSION=--platform=$TARGETPLATFORM 1.0.0\r\nARG PYTHON_VERSION=3.11\r\n\r\n' +
      'FROM --platform=${TARGETPLATFORM} gcr.io/distroless/python3-debian12:nonroot AS base0\r\n' +
      'COPY package.json /app\r\nENTRYPOINT ["python3", "-m", "app.main"]\r\n\r\n' +
      'FROM --platform=${TARGETPLATFORM} base0\r\nLABEL l1=${VERSION:-d} \\\r\n' +
      '      l2=${PYTHON_VERSION:+set}';
    const first = runTransforms(input, allTransforms, defaultContext());
    expect(first.text).toContain('ARG VERSION\r\n');
    expect(runTransforms(first.text, allTransforms, defaultContext()).text).toBe(first.text);
  });
});
