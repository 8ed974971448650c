/**
 * 17 leaves a pip install into a user base above a marker in that user base, whatever the
 * marker's path (the long property run found 17 moving the install below 15's marker when the
 * site-packages part of its path was misspelt; the next run then added a second marker).
 * The same for an install moved on its way below a source marker. Unit tests rather than
 * fixtures: fixture inputs seed the property suite's mutations.
 */
import { describe, expect, test } from '@jest/globals';
import { runTransforms } from '../../src/runner.js';
import { defaultContext } from '../../src/context.js';
import { allTransforms } from '../../transforms/index.js';

const INPUT =
  'FROM python:3.12-slim AS build\nWORKDIR /\nCOPY . .\nRUN pip install --user .\n# CRITICAL: Must be AFTER pip install, with actual content (not empty)\nRUN echo "T15_PACKAGES_INSTALLED_$(date +%s)" > /root/.local/lib/pythonsite/.t15-marker && \\\n    mkdir -p /root/.local/bin && \\\n    echo "T15_BINARIES_INSTALLED_$(date +%s)" > /root/.local/bin/.t15-marker\n\nFROM gcr.io/distroless/python3-debian12\nCOPY --from=build /root/.local /root/.local\nCMD ["-m", "tool.cli"]\nENTRYPOINT ["python3"]\n';

describe('17 and markers in the user base of a pip install', () => {
  test('the install stays above the marker, and a second run of all transforms changes nothing', () => {
    const t17 = allTransforms.filter((t) => t.id === '17-copy-before-markers');
    const alone = runTransforms(INPUT, t17, defaultContext());
    expect(alone.text).toBe(INPUT);
    expect(alone.findings).toEqual([]);
    const first = runTransforms(INPUT, allTransforms, defaultContext());
    const second = runTransforms(first.text, allTransforms, defaultContext());
    expect(second.text).toBe(first.text);
    expect(first.text.indexOf('RUN pip install --user .')).toBeLessThan(
      first.text.indexOf('.t15-marker'),
    );
  });

  test('an install is not moved past its package marker on the way below a source marker', () => {
    // A random-seed property run: the install came before `COPY . .`; 15 put its markers right
    // below it and 05 a source marker below the COPY; 17 then moved the install below the source
    // marker, past its own package marker, and the next run's 15 added a second one.
    const input =
      'FROM python:3.12-slim AS build\nWORKDIR /src\nRUN pip install --user .\nCOPY . .\n\n' +
      'FROM gcr.io/distroless/python3-debian12\nCOPY --from=build /root/.local /root/.local\n' +
      'CMD ["-m", "tool.cli"]\n';
    const first = runTransforms(input, allTransforms, defaultContext());
    const second = runTransforms(first.text, allTransforms, defaultContext());
    expect(second.text).toBe(first.text);
    const install = first.text.indexOf('RUN pip install --user .');
    expect(install).toBeGreaterThan(0);
    expect(install).toBeLessThan(first.text.indexOf('/root/.local/bin/.'));
    // Not moved, but said: the install still runs before the source is copied.
    expect(
      first.findings.filter((f) => f.transform === '17-copy-before-markers' && !f.fixed),
    ).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining('marker RUN of what it installs'),
      }),
    ]);
  });

  test('an install is not moved below a marker RUN that also writes its package marker', () => {
    // A random-seed property run: the marker RUN after the install wrote 15's site-packages marker
    // and a second marker whose directory (a mistyped /rootbin) a COPY of `.` into / creates;
    // 17 moved the install below it for that second marker, and the next run's 15 added another.
    const input =
      'FROM python:3.12-slim AS build\nCOPY . .\nRUN pip install --user .\n\n' +
      'RUN echo "T15_PACKAGES_INSTALLED_$(date +%s)" > /root/.local/lib/python3.12/site-packages/.t15-marker && \\\n' +
      '    mkdir -p /root/.local/bin && \\\n' +
      '    echo "T15_BINARIES_INSTALLED_$(date +%s)" > /rootbin/.t15-marker\n' +
      'FROM gcr.io/distroless/python3-debian12\nCOPY --from=build /root/.local /root/.local\n' +
      'CMD ["-m", "tool.cli"]\n';
    const first = runTransforms(input, allTransforms, defaultContext());
    const second = runTransforms(first.text, allTransforms, defaultContext());
    expect(second.text).toBe(first.text);
    expect(first.text.indexOf('RUN pip install --user .')).toBeLessThan(
      first.text.indexOf('T15_PACKAGES_INSTALLED'),
    );
  });
});
