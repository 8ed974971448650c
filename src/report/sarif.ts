/**
 * `--format sarif`: a SARIF 2.1.0 log for code scanning (GitHub, GitLab, Azure DevOps).
 * Rules come from the registry metadata (title, safety, related rules, docs page); each
 * finding is a result located in the file as it is on disk — the original text under
 * --check/--dry-run, the fixed text after a write — and, while the file is unfixed on disk,
 * carries its fix as artifactChanges/replacements on the original text. Suppressed findings are
 * results with an inSource suppression; unreadable files are tool notifications.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FileResult } from '../batch.js';
import type { ReportedFinding } from '../runner.js';
import type { Severity, Transform } from '../transform.js';
import { docsUrl, packageVersion } from '../explain.js';
import { COREWRITE_ID } from '../corewrite/index.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

export interface SarifOptions {
  /** The registry (rules are listed for every transform, run or not). */
  transforms: Transform[];
  /** Working directory the result paths are relative to. */
  cwd: string;
  version?: string;
  /** Per-path problems found before any file was read (missing path, empty directory). */
  errors?: { path: string; message: string }[];
}

type Json = Record<string, unknown>;

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

function ruleName(id: string): string {
  return id
    .replace(/^\d+-/, '')
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** Rules for findings that come from dockerfix itself rather than from a transform. */
const EXTRA_RULES: Record<string, (version: string) => Json> = {
  [COREWRITE_ID]: (version) => {
    const uri = `https://unpkg.com/dockerfix@${version}/docs/integrations.md#build-commands`;
    return {
      id: COREWRITE_ID,
      name: 'BuildCommand',
      shortDescription: {
        text: 'Build commands use the context root the fixed Dockerfile assumes',
      },
      helpUri: uri,
      help: { text: `Docs: ${uri}` },
    };
  },
};

function ruleOf(t: Transform, version: string): Json {
  const uri = docsUrl(t.id, version);
  return {
    id: t.id,
    name: ruleName(t.id),
    shortDescription: { text: t.title },
    fullDescription: {
      text: `${t.title} (log correction ${t.number}; ${t.safety} fix).`,
    },
    helpUri: uri,
    help: { text: `${t.title}. Docs: ${uri}`, markdown: `${t.title}. [Docs](${uri})` },
    properties: {
      number: t.number,
      safety: t.safety,
      sources: t.sources,
      tags: ['dockerfile', `${t.safety}-fix`],
    },
  };
}

/** A location for a shown path: relative to %SRCROOT% when under the working directory. */
function artifactLocation(shown: string): Json {
  if (path.isAbsolute(shown)) return { uri: pathToFileURL(shown).href };
  return { uri: shown.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function resultOf(
  r: FileResult,
  f: ReportedFinding,
  ruleIndex: Map<string, number>,
  suppressed: boolean,
): Json {
  // What is on disk: the fixed text after a write, the original otherwise.
  const line = r.written ? f.line : (f.originalLine ?? f.line);
  const result: Json = {
    ruleId: f.transform,
    ...(ruleIndex.has(f.transform) ? { ruleIndex: ruleIndex.get(f.transform) } : {}),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(r.path),
          region: { startLine: Math.max(1, line) },
        },
      },
    ],
    properties: {
      fixed: f.fixed,
      ...(f.fixAvailable ? { fixAvailable: true } : {}),
    },
  };
  if (suppressed) result.suppressions = [{ kind: 'inSource' }];
  if (!r.written && f.fixed && f.originalEdits?.length) {
    result.fixes = [
      {
        description: { text: `dockerfix ${f.transform}` },
        artifactChanges: [
          {
            artifactLocation: artifactLocation(r.path),
            replacements: f.originalEdits.map((e) => ({
              deletedRegion: {
                startLine: e.startLine,
                startColumn: e.startColumn,
                endLine: e.endLine,
                endColumn: e.endColumn,
                charOffset: e.start,
                charLength: e.end - e.start,
              },
              ...(e.text ? { insertedContent: { text: e.text } } : {}),
            })),
          },
        ],
      },
    ];
  }
  return result;
}

export function formatSarif(results: FileResult[], options: SarifOptions): string {
  const version = options.version ?? packageVersion();
  const rules = options.transforms.map((t) => ruleOf(t, version));
  const ruleIndex = new Map(options.transforms.map((t, i) => [t.id, i]));
  // Findings of the runner itself (size cap, internal errors) get a rule of their own.
  const extraIds = new Set<string>();
  for (const r of results)
    for (const f of [...r.findings, ...(r.suppressed ?? [])])
      if (!ruleIndex.has(f.transform)) extraIds.add(f.transform);
  for (const id of extraIds) {
    ruleIndex.set(id, rules.length);
    rules.push(
      EXTRA_RULES[id]?.(version) ?? {
        id,
        name: ruleName(id),
        shortDescription: { text: 'dockerfix could not process this file safely' },
      },
    );
  }
  const sarifResults: Json[] = [];
  const notifications: Json[] = [];
  for (const r of results) {
    if (r.error) {
      notifications.push({
        level: 'error',
        message: { text: `${r.path}: ${r.error}` },
        locations: [{ physicalLocation: { artifactLocation: artifactLocation(r.path) } }],
      });
      continue;
    }
    for (const f of r.findings) sarifResults.push(resultOf(r, f, ruleIndex, false));
    for (const f of r.suppressed ?? []) sarifResults.push(resultOf(r, f, ruleIndex, true));
  }
  for (const e of options.errors ?? []) {
    notifications.push({ level: 'error', message: { text: `${e.path}: ${e.message}` } });
  }
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dockerfix',
            version,
            semanticVersion: version,
            informationUri: 'https://www.npmjs.com/package/dockerfix',
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: notifications.length === 0,
            ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        originalUriBaseIds: {
          [SRCROOT]: {
            uri: pathToFileURL(
              options.cwd.endsWith(path.sep) ? options.cwd : options.cwd + path.sep,
            ).href,
          },
        },
        columnKind: 'utf16CodeUnits',
        results: sarifResults,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
