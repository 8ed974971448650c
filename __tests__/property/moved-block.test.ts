/** Counterexamples of the property checker: the checker, not the fix, was wrong. */
import { describe, expect, test } from '@jest/globals';
import { corpusContext, violations } from './properties.js';
import { allTransforms } from '../../transforms/index.js';
import { runTransforms } from '../../src/runner.js';

describe('every changed line has a fixed finding', () => {
  test('a moved multi-line build step whose last line the diff shows as added', () => {
    // 17 moves the three-line RUN (two lines joined by the ` continuation) below the marker;
    // the line diff keeps its first two lines in place and "adds" its last line at the end.
    const input =
      '# escape=`\nFROM python:3.11-slim\nWORKDIR /app\nRUN python setup.py build && `\n' +
      'RUN python setup.py build && `\n    python -m compileall .\nCOPY pkg/ ./pkg/\n' +
      'RUN echo "X_SOURCE_$(date +%s)" > pkg/.x-source-marker';
    expect(violations(input, allTransforms, corpusContext('root'))).toEqual([]);
  });

  test('an inserted blank line the diff places at the far end of a run of blank lines', () => {
    // 12 inserts its block (ending in a blank line) above the FROM that 07 rewrites; the three
    // blank lines below the FROM stay. The line diff keeps the block's blank line in place of the
    // first old one and reads the last blank line below the FROM as "added".
    const input =
      '\uFEFFFROM --platform=$TARGETPLATFORM rust:1.79 AS chef\n\n\n\nCOPY . .\n' +
      'RUN cargo chef prepare --recipe-path recipe.json\nFROM chef AS builder\n' +
      'RUN cargo build --release --bin api\nFROM gcr.io/distroless/cc-debian12:nonroot\n' +
      'COPY --from=builder /app/target/release/api /usr/local/bin/api\n' +
      'ENTRYPOINT ["/usr/local/bin/api"]\n';
    expect(violations(input, allTransforms, corpusContext('root'))).toEqual([]);
  });

  test('a finding with several edits far apart owns every line they change', () => {
    // 02 moves /root/.local to the runtime user's home in one fix: the COPY and both ENVs that
    // name it (all or nothing). The finding points at its first edit (ENV PYTHONPATH); ENV PATH,
    // ten lines further down and far from any other fix, changed with it.
    const input =
      'FROM python:3.11-slim AS builder\nWORKDIR /app\nCOPY requirements.txt .\n' +
      'RUN pip install --user --no-cache-dir -r requirements.txt\nCOPY controller/ ./controller/\n\n' +
      'FROM gcr.io/distroless/python3-debian12:nonroot\nWORKDIR /app\n' +
      'ENV PYTHONPATH=/root/.local/lib/python3.11/site-packages:/app\n' +
      'LABEL a=1\nLABEL b=2\nLABEL c=3\n' +
      'COPY --from=builder /root/.local /root/.local\n' +
      'COPY --from=builder /app/controller ./controller\n' +
      'LABEL a=1\nLABEL b=2\nLABEL c=3\nLABEL d=4\n' +
      'ENV PATH=/root/.local/bin:$PATH\n' +
      'LABEL a=1\nLABEL b=2\nLABEL c=3\nLABEL d=4\nENV LOG_LEVEL=info\n' +
      'ENTRYPOINT ["/usr/bin/python3.11", "-m", "controller.main"]\n';
    const ctx = corpusContext('root');
    const envPath = runTransforms(input, allTransforms, ctx).findings.find(
      (f) => f.fixed && f.originalEdits?.some((e) => e.startLine === 19),
    );
    expect(envPath?.transform).toBe('02-copy-pattern-chown');
    expect(envPath?.originalLine).toBe(9);
    expect(violations(input, allTransforms, ctx)).toEqual([]);
  });
});
