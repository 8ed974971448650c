/**
 * The one generic fixture test: every __fixtures__/<id>/<case> runs through its transform(s);
 * output compared byte for byte, a second run changes nothing, the output re-parses without
 * new validator errors, and the findings match findings.json.
 */
import { describe, expect, test } from '@jest/globals';
import { validatorErrors } from './helpers/validator.js';
import { runTransforms } from '../src/runner.js';
import { allTransforms, findTransform } from '../transforms/index.js';
import { fixtureContext, listCases, type FixtureCase } from './helpers/fixtures.js';

function transformsFor(c: FixtureCase) {
  const ids = c.options.transforms ?? [c.group];
  const selected = ids.map((id) => {
    const t = findTransform(id);
    if (!t) throw new Error(`${c.group}/${c.name}: unknown transform ${id}`);
    return t;
  });
  return allTransforms.filter((t) => selected.includes(t));
}

/** Validator errors; a crash counts as an error of its own, so a new crash is a new error. */
const errorsOrCrash = (text: string) => validatorErrors(text) ?? ['<validator crashed>'];

const cases = listCases();

describe('fixtures', () => {
  test('there are fixture cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    describe(`${c.group}/${c.name}`, () => {
      const transforms = transformsFor(c);
      const ctx = fixtureContext(c);
      const first = runTransforms(c.input, transforms, ctx);

      test('output is byte-identical to Dockerfile.output', () => {
        expect(JSON.stringify(first.text)).toBe(JSON.stringify(c.expected));
        expect(first.changed).toBe(c.hasOutput && c.expected !== c.input);
      });

      test('a second run changes nothing', () => {
        const second = runTransforms(first.text, transforms, ctx);
        expect(JSON.stringify(second.text)).toBe(JSON.stringify(first.text));
        expect(second.findings.filter((f) => f.fixed)).toEqual([]);
      });

      test('output re-parses without new validator errors', () => {
        const before = new Set(errorsOrCrash(c.input));
        const added = errorsOrCrash(first.text).filter((e) => !before.has(e));
        expect(added).toEqual([]);
      });

      test('findings match findings.json', () => {
        expect(c.findings).not.toBeNull();
        const actual = first.findings.map((f) => ({
          transform: f.transform,
          severity: f.severity,
          line: f.line,
          fixed: f.fixed,
        }));
        const expected = c.findings!.map(({ message: _m, ...rest }) => rest);
        expect(actual).toEqual(expected);
        c.findings!.forEach((f, i) => {
          if (f.message) expect(first.findings[i].message).toContain(f.message);
        });
      });
    });
  }
});
