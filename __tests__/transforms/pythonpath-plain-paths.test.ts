/**
 * 14 writes a PYTHONPATH prefix only for paths a shell word keeps as written. A random-seed
 * property run found `WORKDIR \/home/app` (a backslash the model keeps) giving the prefix
 * `/\/home/app/vendor`, which the shell reads as `//home/app/vendor`: the next run did not see it
 * covered and prefixed it again (not idempotent).
 * A unit test rather than a fixture: fixture inputs seed the property suite's mutations.
 */
import { describe, expect, test } from '@jest/globals';
import { runTransforms } from '../../src/runner.js';
import { defaultContext } from '../../src/context.js';
import { allTransforms } from '../../transforms/index.js';

const t14 = allTransforms.filter((t) => t.id === '14-pythonpath-for-user-site');

describe('14 and paths the shell would change', () => {
  test('a path with a backslash is reported, not written', () => {
    const input =
      'FROM python:3.12-slim AS build\nWORKDIR \\/home/app\n' +
      'RUN pip install --target ./vendor PyYAML==6.0.1\nRUN python -c "import yaml"\n';
    const r = runTransforms(input, t14, defaultContext());
    expect(r.text).toBe(input);
    expect(r.findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        fixed: false,
        message: expect.stringContaining('not prefixed automatically'),
      }),
    ]);
    const all = runTransforms(input, allTransforms, defaultContext());
    expect(runTransforms(all.text, allTransforms, defaultContext()).text).toBe(all.text);
  });

  test('a plain path is still prefixed', () => {
    const input =
      'FROM python:3.12-slim AS build\nWORKDIR /home/app\n' +
      'RUN pip install --target ./vendor PyYAML==6.0.1\nRUN python -c "import yaml"\n';
    expect(runTransforms(input, t14, defaultContext()).text).toContain(
      'RUN PYTHONPATH=/home/app/vendor:$PYTHONPATH python -c "import yaml"',
    );
  });
});
