/**
 * 17 leaves a pip install into a user base above a marker in that user base, whatever the
 * marker's path (the long property run found 17 moving the install below 15's marker when the
 * site-packages part of its path was misspelt; the next run then added a second marker).
 * A unit test rather than a fixture: fixture inputs seed the property suite's mutations.
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
});
