/**
 * `--format sarif`: every log validates against the official SARIF 2.1.0 schema
 * (__tests__/data/sarif-2.1.0.json, a draft-04 schema); rules come from the registry metadata;
 * results point into the file as it is on disk; fixes, applied, give the fixed text.
 */
import { describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ajvDraft04Module from 'ajv-draft-04';
import ajvFormatsModule from 'ajv-formats';
import { formatSarif } from '../../src/report/sarif.js';
import { runTransforms } from '../../src/runner.js';
import { defaultContext } from '../../src/context.js';
import { applyEdits } from '../../src/edits.js';
import { main, type CliIO } from '../../src/cli.js';
import { allTransforms } from '../../transforms/index.js';
import type { FileResult } from '../../src/batch.js';
import { aptYes, upperKeywords } from './helpers.js';

// CommonJS packages: Node hands ESM the module object, TypeScript's types say `.default`.
type AjvCtor = typeof ajvDraft04Module.default;
type AddFormats = typeof ajvFormatsModule.default;
const AjvDraft04 = ((ajvDraft04Module as unknown as { default?: AjvCtor }).default ??
  ajvDraft04Module) as AjvCtor;
const addFormats = ((ajvFormatsModule as unknown as { default?: AddFormats }).default ??
  ajvFormatsModule) as AddFormats;

const schema = JSON.parse(fs.readFileSync('__tests__/data/sarif-2.1.0.json', 'utf8'));
// The official schema's `language` pattern has a stray `]` that only non-unicode RegExps accept.
const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function expectValid(log: unknown) {
  const ok = validate(log);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

interface SarifReplacement {
  deletedRegion: { charOffset: number; charLength: number; startLine: number };
  insertedContent?: { text: string };
}

function fileResult(text: string, written = false): FileResult {
  const r = runTransforms(text, [upperKeywords, aptYes], defaultContext());
  return {
    path: 'services/api/Dockerfile',
    changed: r.changed,
    written,
    findings: r.findings,
    suppressed: r.suppressed,
    diff: '',
  };
}

describe('SARIF log', () => {
  const text = 'from debian:12\n# dockerfix-ignore 97\nrun apt-get install curl\n';
  const file = fileResult(text);
  const log = JSON.parse(
    formatSarif([file], { transforms: [upperKeywords, aptYes], cwd: '/repo', version: '1.2.3' }),
  );
  const run = log.runs[0];

  test('validates against the SARIF 2.1.0 schema', () => {
    expect(log.version).toBe('2.1.0');
    expectValid(log);
  });

  test('the validator rejects broken logs (the schema check can fail)', () => {
    expect(validate({ ...log, version: '2.0.0' })).toBe(false);
    const noMessage = structuredClone(log);
    delete noMessage.runs[0].results[0].message;
    expect(validate(noMessage)).toBe(false);
    const badRegion = structuredClone(log);
    badRegion.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(validate(badRegion)).toBe(false);
  });

  test('rules come from the transform metadata, with a docs helpUri', () => {
    expect(run.tool.driver.name).toBe('dockerfix');
    expect(run.tool.driver.version).toBe('1.2.3');
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([
      '97-upper-keywords',
      '98-apt-yes',
    ]);
    const rule = run.tool.driver.rules[1];
    expect(rule.shortDescription.text).toBe(aptYes.title);
    expect(rule.helpUri).toBe('https://unpkg.com/dockerfix@1.2.3/docs/transforms/98-apt-yes.md');
    expect(rule.properties.safety).toBe('unsafe');
  });

  test('results: level, location in the file on disk, suppressed ones marked inSource', () => {
    const results = run.results;
    expect(
      results.map((r: Record<string, unknown>) => [
        r.ruleId,
        r.level,
        (r.locations as { physicalLocation: { region: { startLine: number } } }[])[0]
          .physicalLocation.region.startLine,
        Boolean(r.suppressions),
      ]),
    ).toEqual([
      ['97-upper-keywords', 'warning', 1, false],
      ['98-apt-yes', 'error', 3, false],
      ['97-upper-keywords', 'warning', 3, true],
    ]);
    expect(results[0].locations[0].physicalLocation.artifactLocation).toEqual({
      uri: 'services/api/Dockerfile',
      uriBaseId: '%SRCROOT%',
    });
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe('file:///repo/');
  });

  test('fixes: replacements on the original text that, applied, give the fixed text', () => {
    const replacements: SarifReplacement[] = run.results.flatMap(
      (r: { fixes?: { artifactChanges: { replacements: SarifReplacement[] }[] }[] }) =>
        (r.fixes ?? []).flatMap((f) => f.artifactChanges.flatMap((c) => c.replacements)),
    );
    expect(replacements).toHaveLength(2);
    const edits = replacements.map((rep) => ({
      start: rep.deletedRegion.charOffset,
      end: rep.deletedRegion.charOffset + rep.deletedRegion.charLength,
      text: rep.insertedContent?.text ?? '',
    }));
    expect(applyEdits(text, edits)).toBe(
      'FROM debian:12\n# dockerfix-ignore 97\nrun apt-get install -y curl\n',
    );
    // Each region's line/column agrees with its offset.
    for (const rep of replacements) {
      const before = text.slice(0, rep.deletedRegion.charOffset);
      expect(rep.deletedRegion.startLine).toBe(before.split('\n').length);
    }
  });

  test('after a write: no fixes, lines point into the fixed file', () => {
    const written = fileResult('FROM a\n\nrun apt-get install x\n', true);
    const wlog = JSON.parse(formatSarif([written], { transforms: allTransforms, cwd: '/repo' }));
    expectValid(wlog);
    expect(wlog.runs[0].results.every((r: { fixes?: unknown }) => !r.fixes)).toBe(true);
  });

  test('unreadable files are tool notifications; unknown rule ids get a rule', () => {
    const bad: FileResult = {
      path: 'x/Dockerfile',
      changed: false,
      written: false,
      findings: [],
      diff: '',
      error: 'invalid UTF-8',
    };
    const runner: FileResult = {
      path: '/abs/Dockerfile',
      changed: false,
      written: false,
      findings: [
        {
          transform: 'dockerfix',
          severity: 'warning',
          line: 1,
          message: 'too large',
          fixed: false,
        },
      ],
      diff: '',
    };
    const elog = JSON.parse(
      formatSarif([bad, runner], {
        transforms: allTransforms,
        cwd: '/repo',
        errors: [{ path: 'missing', message: 'no such file or directory' }],
      }),
    );
    expectValid(elog);
    const inv = elog.runs[0].invocations[0];
    expect(inv.executionSuccessful).toBe(false);
    expect(inv.toolExecutionNotifications).toHaveLength(2);
    expect(elog.runs[0].results[0].ruleId).toBe('dockerfix');
    expect(elog.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      'file:///abs/Dockerfile',
    );
  });
});

describe('dockerfix --format sarif (CLI, real registry)', () => {
  function io(cwd: string) {
    const out: string[] = [];
    const err: string[] = [];
    const cli: CliIO = {
      stdout: (s) => out.push(s),
      stderr: (s) => err.push(s),
      readStdin: async () => Buffer.from(''),
      cwd,
    };
    return { cli, out, err };
  }

  test('--check on a repository: a schema-valid log with a rule for every transform', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfix-sarif-'));
    fs.mkdirSync(path.join(dir, '.git'));
    const dockerfile =
      'FROM --platform=$TARGETPLATFORM python:3.11-slim AS builder\nRUN echo hi > /x\n\nFROM --platform=linux/arm64 gcr.io/distroless/static-debian12\nCOPY --from=builder /x /x\n';
    fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
    const { cli, out } = io(dir);
    const code = await main(['--check', '--format', 'sarif', '--no-build-commands', '.'], cli);
    expect(code).toBe(1);
    const log = JSON.parse(out.join(''));
    expectValid(log);
    expect(log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(
      allTransforms.map((t) => t.id),
    );
    expect(log.runs[0].results.length).toBeGreaterThan(0);
    // --check wrote nothing: the file on disk is the one the results point into.
    expect(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toBe(dockerfile);
  });
});
