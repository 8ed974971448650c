/**
 * With several module checks in the final stage, 6 and 11 keep the last one up to date (16 the
 * last package check). A random-seed property run found two identical checks before a COPY: the
 * first run moved and updated one of them, the second run updated the other (not idempotent).
 * A unit test rather than a fixture: fixture inputs seed the property suite's mutations.
 */
import { describe, expect, test } from '@jest/globals';
import { runTransforms } from '../../src/runner.js';
import { defaultContext } from '../../src/context.js';
import { allTransforms } from '../../transforms/index.js';
import { moduleCheckRun } from '../../src/model/python.js';
import { parseDocument } from '../../src/model/document.js';

const CHECK =
  'RUN ["/usr/bin/python3.11", "-c", "import os, importlib.util; ' +
  "assert os.path.exists('/app/controller'), 'controller directory missing'; " +
  "assert importlib.util.find_spec('controller.main', package=None), 'controller.main not found'; " +
  "print('controller package verified')\"]\n";

const INPUT =
  'FROM python:3.11-slim AS builder\nWORKDIR /app\nCOPY requirements.txt .\n' +
  'RUN pip install --user -r requirements.txt\nCOPY controller/ ./controller/\n\n' +
  'FROM gcr.io/distroless/python3-debian12\nWORKDIR /app\n' +
  'COPY --from=builder /app/controller ./controller\n' +
  CHECK +
  CHECK +
  'COPY --from=builder --chown=65532:65532 /root/.local /home/nonroot/.local\n';

describe('several module checks in the final stage', () => {
  test('the last one is the one kept up to date', () => {
    const doc = parseDocument(INPUT);
    const final = doc.stages.final!;
    const check = moduleCheckRun(doc, final);
    expect(check && doc.lineOf(doc.span(check.instruction).start) + 1).toBe(11);
  });

  test('one run of all transforms reaches the fixed point', () => {
    const first = runTransforms(INPUT, allTransforms, defaultContext());
    expect(first.changed).toBe(true);
    expect(runTransforms(first.text, allTransforms, defaultContext()).text).toBe(first.text);
  });
});
