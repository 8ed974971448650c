/**
 * 06 runs its check with the app's own interpreter only when CMD/ENTRYPOINT names it by a plain
 * absolute path. A random-seed property run found `"/us\r/bin/python3.11"` (a JSON escape in the
 * path) copied into the check, which the next run did not recognise and added again.
 * A unit test rather than a fixture: fixture inputs seed the property suite's mutations.
 */
import { describe, expect, test } from '@jest/globals';
import { runTransforms } from '../../src/runner.js';
import { defaultContext } from '../../src/context.js';
import { allTransforms } from '../../transforms/index.js';

const t06 = allTransforms.filter((t) => t.id === '06-runtime-module-check');

const input = (program: string) =>
  'FROM python:3.11-slim AS builder\nWORKDIR /src\nCOPY svc/ ./svc/\n\n' +
  'FROM gcr.io/distroless/python3-debian12:nonroot\nCOPY --from=builder /src/svc /app/svc\n' +
  `WORKDIR /app\nCMD ["${program}", "-m", "svc"]\n`;

describe("06 and the app's interpreter", () => {
  test('a path with an escape is not copied; one run reaches the fixed point', () => {
    const first = runTransforms(input('/us\\r/bin/python3.11'), t06, defaultContext());
    expect(first.text).toContain('RUN ["/usr/bin/python3.11", "-c"');
    expect(runTransforms(first.text, t06, defaultContext()).text).toBe(first.text);
  });

  test('a plain path is the interpreter of the check', () => {
    const first = runTransforms(input('/opt/py/bin/python3.11'), t06, defaultContext());
    expect(first.text).toContain('RUN ["/opt/py/bin/python3.11", "-c"');
  });
});
