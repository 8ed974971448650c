/**
 * Fixture loading shared by the fixture test and the registry meta-test.
 * Layout: __fixtures__/<transform-id or "scenarios">/<case>/
 *   Dockerfile.input    the file as the user has it
 *   Dockerfile.output   the expected result, byte for byte (absent: expect no change)
 *   findings.json       expected findings: [{transform, severity, line, fixed, message?}]
 *                       (message: a substring the message must contain)
 *   options.json        optional: {config, dockerfile, transforms, contextDir}
 *   context/            optional build-context tree (default context root: the case folder)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeDockerfile } from '../../src/files.js';
import { resolveConfig, type DockerfixConfig } from '../../src/config.js';
import { defaultContext, type TransformContext } from '../../src/context.js';

export const FIXTURES_DIR = path.resolve('__fixtures__');
/** Folders under __fixtures__ that are not per-transform cases. */
export const NON_CASE_DIRS = new Set(['corpus', 'corewrite']);

export interface FixtureOptions {
  /** Settings as in dockerfix.config.json (without overrides). */
  config?: DockerfixConfig;
  /** Path of the Dockerfile relative to the context root (default "Dockerfile"). */
  dockerfile?: string;
  /** Transform ids to run, in registry order (default: the folder's transform). */
  transforms?: string[];
  /**
   * Folder of the case holding the build-context tree (default "context"). Its name is the
   * repository name that marker names derive from, e.g. "lucid".
   */
  contextDir?: string;
}

export interface ExpectedFinding {
  transform: string;
  severity: string;
  line: number;
  fixed: boolean;
  message?: string;
}

export interface FixtureCase {
  group: string;
  name: string;
  dir: string;
  input: string;
  expected: string;
  hasOutput: boolean;
  findings: ExpectedFinding[] | null;
  options: FixtureOptions;
  contextRoot: string;
}

export function readCase(group: string, name: string): FixtureCase {
  const dir = path.join(FIXTURES_DIR, group, name);
  const input = decodeDockerfile(fs.readFileSync(path.join(dir, 'Dockerfile.input')));
  const outFile = path.join(dir, 'Dockerfile.output');
  const hasOutput = fs.existsSync(outFile);
  const expected = hasOutput ? decodeDockerfile(fs.readFileSync(outFile)) : input;
  const findingsFile = path.join(dir, 'findings.json');
  const findings = fs.existsSync(findingsFile)
    ? (JSON.parse(fs.readFileSync(findingsFile, 'utf8')) as ExpectedFinding[])
    : null;
  const optionsFile = path.join(dir, 'options.json');
  const options = fs.existsSync(optionsFile)
    ? (JSON.parse(fs.readFileSync(optionsFile, 'utf8')) as FixtureOptions)
    : {};
  const contextDir = path.join(dir, options.contextDir ?? 'context');
  const contextRoot = fs.existsSync(contextDir) ? contextDir : dir;
  return { group, name, dir, input, expected, hasOutput, findings, options, contextRoot };
}

export function listCases(): FixtureCase[] {
  if (!fs.existsSync(FIXTURES_DIR)) return [];
  const cases: FixtureCase[] = [];
  for (const group of fs.readdirSync(FIXTURES_DIR).sort()) {
    if (NON_CASE_DIRS.has(group)) continue;
    const groupDir = path.join(FIXTURES_DIR, group);
    if (!fs.statSync(groupDir).isDirectory()) continue;
    for (const name of fs.readdirSync(groupDir).sort()) {
      if (fs.existsSync(path.join(groupDir, name, 'Dockerfile.input')))
        cases.push(readCase(group, name));
    }
  }
  return cases;
}

/** The transform context a case runs in: its context root, Dockerfile path and settings. */
export function fixtureContext(c: FixtureCase): TransformContext {
  const dockerfilePath = path.join(c.contextRoot, c.options.dockerfile ?? 'Dockerfile');
  return defaultContext({
    dockerfilePath,
    contextRoot: c.contextRoot,
    contextSource: 'fixture',
    config: resolveConfig(c.options.config ?? {}, null, dockerfilePath),
  });
}
