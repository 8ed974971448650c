/**
 * linesAfter: the one place transforms add lines after an instruction. It refuses when the
 * instruction would swallow the new line (an unterminated heredoc, a trailing continuation),
 * and the transform then reports instead of editing (01 shown end to end).
 *
 * (Kept here rather than as a fixture case: fixture inputs also seed the property suite's
 * mutation fuzzer, whose fixed CI seed would then draw other inputs; see docs/safety.md.)
 */
import { describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDocument } from '../../src/model/document.js';
import { linesAfter } from '../../src/model/instructions.js';
import { runTransforms } from '../../src/runner.js';
import { defaultContext } from '../../src/context.js';
import { findTransform } from '../../transforms/index.js';

describe('linesAfter', () => {
  test('adds lines after the instruction in the file line ending', () => {
    const doc = parseDocument('FROM a\r\nRUN x\r\nCMD y\r\n');
    const edits = linesAfter(doc, doc.instructions[1], ['RUN z'])!;
    expect(edits).toEqual([{ start: 13, end: 13, text: '\r\nRUN z' }]);
  });

  test('refuses after a trailing continuation and after an unterminated heredoc', () => {
    const cont = parseDocument('FROM a\nCOPY x /x \\\n');
    expect(linesAfter(cont, cont.instructions[1], ['RUN z'])).toBeUndefined();
    const heredoc = parseDocument('FROM a\nCOPY <<EOF /x\nhello\n');
    expect(linesAfter(heredoc, heredoc.instructions[1], ['RUN z'])).toBeUndefined();
  });

  test('01 reports the missing package instead of inserting after a dangling COPY', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfix-lines-after-'));
    try {
      fs.mkdirSync(path.join(root, 'worker'));
      fs.writeFileSync(path.join(root, 'worker', '__init__.py'), '');
      const input =
        'FROM python:3.12-slim AS build\nCOPY worker/ /src/worker/\nFROM python:3.12-slim\n' +
        'CMD ["python", "-m", "worker"]\nCOPY --from=build /etc/hostname /tmp/hostname \\\n';
      const ctx = defaultContext({
        dockerfilePath: path.join(root, 'Dockerfile'),
        contextRoot: root,
        contextSource: 'fixture',
      });
      const result = runTransforms(input, [findTransform('01')!], ctx);
      expect(result.text).toBe(input);
      expect(result.findings.map((f) => [f.transform, f.severity, f.line, f.fixed])).toEqual([
        ['01-runtime-missing-source', 'error', 4, false],
      ]);
      expect(result.findings[0].message).toContain('copy it from "build"');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
