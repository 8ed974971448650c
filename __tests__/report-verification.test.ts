/** Text and JSON output of transform 20's checklist and of a --verify-build outcome. */
import { describe, expect, test } from '@jest/globals';
import type { FileResult } from '../src/batch.js';
import { formatFileText } from '../src/report/text.js';
import { formatJson } from '../src/report/json.js';

const base: FileResult = {
  path: 'svc/Dockerfile',
  changed: false,
  written: false,
  diff: '',
  findings: [
    {
      transform: '10-undefined-var-default',
      severity: 'warning',
      line: 4,
      message: 'm',
      fixed: true,
    },
    {
      transform: '20-final-verification',
      severity: 'info',
      line: 1,
      message: '[x] Parses without new errors',
      fixed: false,
    },
    {
      transform: '20-final-verification',
      severity: 'error',
      line: 7,
      message: '[ ] No COPY path errors (…): COPY source "a/" does not exist in the build context',
      fixed: false,
    },
  ],
};

describe('verification report', () => {
  test('transform 20 findings print as a checklist after the other findings', () => {
    expect(formatFileText(base)).toBe(
      'svc/Dockerfile:4: warning [10-undefined-var-default] m (fixed)\n' +
        'svc/Dockerfile: verification checklist\n' +
        '  [x] Parses without new errors\n' +
        '  [ ] No COPY path errors (…): COPY source "a/" does not exist in the build context (line 7)\n',
    );
  });

  test('a failed build: class, step and first error lines; JSON carries the same', () => {
    const r: FileResult = {
      ...base,
      findings: [],
      build: {
        engine: 'buildah',
        status: 'failed',
        seconds: 3.04,
        command: 'buildah bud …',
        output: '…',
        cleanupErrors: [],
        failure: {
          kind: 'module-not-found',
          step: 'RUN python3 -c "import grpcio"',
          lines: ["ModuleNotFoundError: No module named 'grpcio'"],
        },
      },
    };
    expect(formatFileText(r)).toBe(
      'svc/Dockerfile: build failed (buildah, 3.0s): ModuleNotFoundError/ImportError\n' +
        '  at: RUN python3 -c "import grpcio"\n' +
        "  | ModuleNotFoundError: No module named 'grpcio'\n",
    );
    const json = JSON.parse(formatJson([r])).files[0].build;
    expect(json).toEqual({
      status: 'failed',
      engine: 'buildah',
      seconds: 3,
      command: 'buildah bud …',
      failure: 'module-not-found',
      failureLabel: 'ModuleNotFoundError/ImportError',
      step: 'RUN python3 -c "import grpcio"',
      errorLines: ["ModuleNotFoundError: No module named 'grpcio'"],
    });
  });

  test('a successful build is one line', () => {
    const r: FileResult = {
      ...base,
      findings: [],
      build: {
        engine: 'docker',
        status: 'built',
        seconds: 12.3,
        command: 'docker …',
        output: '',
        cleanupErrors: [],
      },
    };
    expect(formatFileText(r)).toBe('svc/Dockerfile: build built (docker, 12.3s)\n');
  });
});
