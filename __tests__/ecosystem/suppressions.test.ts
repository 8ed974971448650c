/**
 * In-file suppressions (`# dockerfix-ignore …`, `# dockerfix: skip=…`), --safe-only, and the
 * mapping of findings and fixes back to the original text.
 */
import { describe, expect, test } from '@jest/globals';
import { runTransforms } from '../../src/runner.js';
import { defaultContext } from '../../src/context.js';
import { applyEdits } from '../../src/edits.js';
import { formatJson } from '../../src/report/json.js';
import { formatSummary } from '../../src/report/text.js';
import { exitCode } from '../../src/cli.js';
import type { FileResult } from '../../src/batch.js';
import { aptYes, upperKeywords } from './helpers.js';

const ctx = defaultContext();
const both = [upperKeywords, aptYes];

function asFile(text: string, safeOnly = false): FileResult {
  const r = runTransforms(text, both, ctx, { safeOnly });
  return {
    path: 'Dockerfile',
    changed: r.changed,
    written: false,
    findings: r.findings,
    suppressed: r.suppressed,
    diff: '',
  };
}

describe('# dockerfix-ignore on the line before an instruction', () => {
  const input = [
    'from debian:12',
    '# dockerfix-ignore 97',
    'run apt-get install curl',
    'run apt-get install git',
    '',
  ].join('\n');

  test('by number: that instruction keeps its text for that transform only', () => {
    const r = runTransforms(input, both, ctx);
    expect(r.text).toBe(
      [
        'FROM debian:12',
        '# dockerfix-ignore 97',
        'run apt-get install -y curl',
        'RUN apt-get install -y git',
        '',
      ].join('\n'),
    );
    expect(r.suppressed.map((f) => [f.transform, f.line, f.suppressed, f.fixed])).toEqual([
      ['97-upper-keywords', 3, true, false],
    ]);
    expect(r.findings.some((f) => f.suppressed)).toBe(false);
    expect(r.findings.filter((f) => f.transform === '97-upper-keywords')).toHaveLength(2);
  });

  test('by id, by slug, several keys, and bare (all transforms)', () => {
    for (const key of ['97-upper-keywords', 'upper-keywords', '98, 97', '97,98', '', 'all']) {
      const text = `FROM a\n# dockerfix-ignore ${key}\nrun apt-get install x\n`;
      const r = runTransforms(text, both, ctx);
      const expected = key.includes('98') || key === '' || key === 'all';
      expect(r.suppressed.some((f) => f.transform === '97-upper-keywords')).toBe(true);
      expect(r.suppressed.some((f) => f.transform === '98-apt-yes')).toBe(expected);
      expect(r.text.startsWith('FROM a\n# dockerfix-ignore')).toBe(true);
      expect(r.text).toContain(expected ? 'run apt-get install x' : 'run apt-get install -y x');
    }
  });

  test('anywhere in the comment block right above; not across a blank line', () => {
    const inBlock =
      'FROM a\n# dockerfix-ignore 98\n# why: the image pins answers\nRUN apt-get install x\n';
    expect(runTransforms(inBlock, both, ctx).text).toBe(inBlock);
    const apart = 'FROM a\n# dockerfix-ignore 98\n\nRUN apt-get install x\n';
    expect(runTransforms(apart, both, ctx).text).toContain('install -y x');
  });

  test('covers a whole multi-line instruction and works with CRLF and lowercase', () => {
    const text =
      'from a\r\n# DOCKERFIX-IGNORE 98\r\nrun echo hi && \\\r\n    apt-get install x\r\n';
    const r = runTransforms(text, both, ctx);
    expect(r.text).toBe(
      'FROM a\r\n# DOCKERFIX-IGNORE 98\r\nRUN echo hi && \\\r\n    apt-get install x\r\n',
    );
    expect(r.suppressed).toHaveLength(1);
    expect(r.suppressed[0].line).toBe(3);
  });

  test('a second run changes nothing and still reports the suppression', () => {
    const first = runTransforms(input, both, ctx);
    const second = runTransforms(first.text, both, ctx);
    expect(second.text).toBe(first.text);
    expect(second.suppressed).toHaveLength(1);
  });
});

describe('# dockerfix: skip= for the whole file', () => {
  test('skips a transform everywhere, reported as suppressed', () => {
    const text =
      '# syntax=docker/dockerfile:1\nfrom a\n# dockerfix: skip=98-apt-yes\nrun apt-get install x\nrun apt-get install y\n';
    const r = runTransforms(text, both, ctx);
    expect(r.text).toBe(
      '# syntax=docker/dockerfile:1\nFROM a\n# dockerfix: skip=98-apt-yes\nRUN apt-get install x\nRUN apt-get install y\n',
    );
    expect(r.suppressed.map((f) => [f.transform, f.line])).toEqual([
      ['98-apt-yes', 4],
      ['98-apt-yes', 5],
    ]);
  });

  test('skip=all, and several lines add up', () => {
    const text = 'from a\nrun apt-get install x\n# dockerfix: skip=all\n';
    expect(runTransforms(text, both, ctx).text).toBe(text);
    const two = '# dockerfix: skip=97\n# dockerfix: skip=98\nfrom a\nrun apt-get install x\n';
    const r = runTransforms(two, both, ctx);
    expect(r.text).toBe(two);
    expect(r.suppressed).toHaveLength(3);
  });

  test('a skip= inside an instruction (heredoc or continuation) is not a directive', () => {
    const text = 'from a\nrun <<EOF\n# dockerfix: skip=all\napt-get install x\nEOF\n';
    const r = runTransforms(text, both, ctx);
    expect(r.text).toContain('FROM a');
    expect(r.suppressed).toHaveLength(0);
  });
});

describe('reports: suppressed findings are listed but never counted', () => {
  const text = 'FROM a\n# dockerfix-ignore 98\nRUN apt-get install x\n';
  const file = asFile(text);

  test('JSON lists them with suppressed: true; the summary counts none of them', () => {
    const json = JSON.parse(formatJson([file]));
    expect(json.files[0].findings).toEqual([
      {
        transform: '98-apt-yes',
        severity: 'error',
        line: 3,
        message: 'apt-get install without -y waits for an answer',
        fixed: false,
        suppressed: true,
      },
    ]);
    expect(json.summary.findings).toEqual({ error: 0, warning: 0, info: 0 });
    expect(formatSummary([file], 'check', 0)).toContain('1 suppressed');
  });

  test('a suppressed error finding does not fail --check', () => {
    expect(exitCode([file], 'check', false)).toBe(0);
    expect(exitCode([asFile('FROM a\nRUN apt-get install x\n')], 'dry-run', false)).toBe(0);
  });
});

describe('--safe-only', () => {
  const text = 'from a\nrun apt-get install x\n';

  test('applies safe fixes only and reports unsafe ones as available', () => {
    const r = runTransforms(text, both, ctx, { safeOnly: true });
    expect(r.text).toBe('FROM a\nRUN apt-get install x\n');
    const apt = r.findings.find((f) => f.transform === '98-apt-yes')!;
    expect(apt).toMatchObject({ fixed: false, fixAvailable: true, line: 2 });
    expect(r.findings.filter((f) => f.fixed).map((f) => f.transform)).toEqual([
      '97-upper-keywords',
      '97-upper-keywords',
    ]);
  });

  test('default applies every fix', () => {
    expect(runTransforms(text, both, ctx).text).toBe('FROM a\nRUN apt-get install -y x\n');
  });

  test('--check fails while an unsafe fix is left; JSON and text say it is available', () => {
    const file = asFile('FROM a\nRUN apt-get install x\n', true);
    expect(file.changed).toBe(false);
    expect(exitCode([file], 'check', false)).toBe(1);
    expect(JSON.parse(formatJson([file])).files[0].findings[0].fixAvailable).toBe(true);
    expect(formatSummary([file], 'check', 0)).toContain('1 unsafe fix available');
  });
});

describe('findings and fixes on the original text', () => {
  test('each fix, applied alone to the original, gives that transform its own change', () => {
    const text = 'from a\n\nrun apt-get install x\nrun apt-get install y\n';
    const r = runTransforms(text, both, ctx);
    const apt = r.findings.filter((f) => f.transform === '98-apt-yes');
    expect(apt.map((f) => f.originalLine)).toEqual([3, 4]);
    const first = apt[0].originalEdits!;
    expect(first).toEqual([
      {
        start: 'from a\n\nrun apt-get install'.length,
        end: 'from a\n\nrun apt-get install'.length,
        text: ' -y',
        startLine: 3,
        startColumn: 20,
        endLine: 3,
        endColumn: 20,
      },
    ]);
    expect(applyEdits(text, first)).toBe(
      'from a\n\nrun apt-get install -y x\nrun apt-get install y\n',
    );
    const allEdits = r.findings.flatMap((f) => f.originalEdits ?? []);
    expect(applyEdits(text, allEdits)).toBe(r.text);
  });

  test('a fix on text another transform wrote has no original form', () => {
    // A transform that inserts a RUN, then one that edits it: the second fix exists only on top.
    const insertRun = {
      ...upperKeywords,
      id: '96-insert-run',
      number: 96,
      detect: (doc: Parameters<typeof upperKeywords.detect>[0]) =>
        doc.text.includes('apt-get')
          ? []
          : [
              {
                severity: 'info' as const,
                offset: doc.text.length,
                message: 'add an install',
                edits: [
                  { start: doc.text.length, end: doc.text.length, text: 'RUN apt-get install z\n' },
                ],
              },
            ],
    };
    const r = runTransforms('FROM a\n', [insertRun, aptYes], ctx);
    expect(r.text).toBe('FROM a\nRUN apt-get install -y z\n');
    const apt = r.findings.find((f) => f.transform === '98-apt-yes')!;
    expect(apt.fixed).toBe(true);
    expect(apt.originalEdits).toBeUndefined();
  });
});

describe('--fail-level (failure threshold)', () => {
  const file = (severity: 'error' | 'warning' | 'info', fixed = false): FileResult => ({
    path: 'Dockerfile',
    changed: false,
    written: false,
    findings: [{ transform: '98-apt-yes', severity, line: 1, message: 'm', fixed }],
    diff: '',
  });

  test('default error: warnings and infos pass, an unfixed error fails', () => {
    expect(exitCode([file('warning')], 'fix', false)).toBe(0);
    expect(exitCode([file('error')], 'fix', false)).toBe(1);
    expect(exitCode([file('error', true)], 'fix', false)).toBe(0);
  });

  test('warning and info lower the threshold; none ignores findings, not --check changes', () => {
    expect(exitCode([file('warning')], 'fix', false, 'warning')).toBe(1);
    expect(exitCode([file('info')], 'fix', false, 'warning')).toBe(0);
    expect(exitCode([file('info')], 'fix', false, 'info')).toBe(1);
    expect(exitCode([file('error')], 'fix', false, 'none')).toBe(0);
    expect(exitCode([{ ...file('info'), changed: true }], 'check', false, 'none')).toBe(1);
  });
});
