/**
 * The properties every dockerfix run must have, whatever the input (issue 6):
 * - the runner never throws, and its safety net never had to catch a transform;
 * - the output re-parses with no new validator errors;
 * - a second run changes nothing;
 * - line endings, byte-order mark, escape character and parser directives are preserved;
 * - every changed region of the output is announced by a fixed finding that points at it
 *   (so every line no finding points at is byte-identical to the original).
 * `violations()` returns what was broken, as readable lines, or [] when all hold.
 */
import * as path from 'node:path';
import { diffArrays } from 'diff';
import { DockerfileParser } from 'dockerfile-ast';
import { resolveConfig } from '../../src/config.js';
import { defaultContext, type TransformContext } from '../../src/context.js';
import { NOT_APPLIED, RUNNER_ID, runTransforms, type RunResult } from '../../src/runner.js';
import type { Transform } from '../../src/transform.js';
import { allTransforms } from '../../transforms/index.js';
import { validatorErrors } from '../helpers/validator.js';

export const CORPUS_DIR = path.resolve('__fixtures__/corpus');
export const CONTEXT_ROOT = path.join(CORPUS_DIR, '_context');

/** `DOCKERFIX_LONG=1` (npm run test:long) multiplies every iteration count. */
export const LONG = process.env.DOCKERFIX_LONG === '1';
export const runs = (n: number) =>
  process.env.DOCKERFIX_RUNS ? Number(process.env.DOCKERFIX_RUNS) : LONG ? n * 20 : n;
/**
 * `DOCKERFIX_SEED=<n>` replays a reported failure. The default run (CI) uses one fixed seed so
 * that a landing never depends on luck; `DOCKERFIX_LONG=1` and `DOCKERFIX_RANDOM=1` draw a fresh
 * seed each run to keep exploring (a failure prints it).
 */
export const DEFAULT_SEED = 20261128;
export const SEED = process.env.DOCKERFIX_SEED
  ? Number(process.env.DOCKERFIX_SEED)
  : LONG || process.env.DOCKERFIX_RANDOM === '1'
    ? undefined
    : DEFAULT_SEED;

/** Contexts the properties run in: at the context root, and in a subfolder of it (like the log). */
export function corpusContext(where: 'root' | 'subdir'): TransformContext {
  const dockerfilePath =
    where === 'root'
      ? path.join(CONTEXT_ROOT, 'Dockerfile')
      : path.join(CONTEXT_ROOT, 'services', 'api', 'Dockerfile');
  return defaultContext({
    dockerfilePath,
    contextRoot: CONTEXT_ROOT,
    contextSource: 'fixture',
    config: resolveConfig({}, null, dockerfilePath),
  });
}

const BREAK = /\r\n|\r|\n/g;

/** Lines with their terminators, as the parser splits them (`\r\n`, `\r`, `\n`). */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let last = 0;
  for (const m of text.matchAll(BREAK)) {
    lines.push(text.slice(last, m.index! + m[0].length));
    last = m.index! + m[0].length;
  }
  if (last < text.length) lines.push(text.slice(last));
  return lines;
}

function breakKinds(text: string): Set<string> {
  return new Set(text.match(BREAK) ?? []);
}

function directives(text: string): string {
  const df = DockerfileParser.parse(text);
  return JSON.stringify([
    df.getEscapeCharacter(),
    df.getDirectives().map((d) => `${d.getName()}=${d.getValue()}`),
  ]);
}

/** Output regions (1-based line ranges) that differ from the original. */
export function changedRegions(before: string, after: string): { from: number; to: number }[] {
  return changedRegionsBothSides(before, after).map((r) => ({ from: r.from, to: r.to }));
}

/**
 * A changed region: its lines in the output (`from`–`to`) and the lines of the original it
 * replaced (`inFrom`–`inTo`; `inTo` < `inFrom` for an insertion, placed before line `inFrom`).
 */
export interface ChangedRegion {
  from: number;
  to: number;
  inFrom: number;
  inTo: number;
}

/** changedRegions, with the original lines each region replaced. */
export function changedRegionsBothSides(before: string, after: string): ChangedRegion[] {
  // A byte-order mark both texts keep is no change (the BOM property checks it); left in, it
  // glues itself to whatever line is first, and an insertion at the top reads as a changed line 1
  // with the old line 1 "added" further down.
  if (before.startsWith('\uFEFF') && after.startsWith('\uFEFF')) {
    before = before.slice(1);
    after = after.slice(1);
  }
  const parts = diffArrays(splitLines(before), splitLines(after));
  type Region = ChangedRegion & { removed: string[]; added: string[] };
  const regions: Region[] = [];
  let line = 1;
  let inLine = 1;
  let open: Region | null = null;
  for (const part of parts) {
    const count = part.count ?? part.value.length;
    if (!part.added && !part.removed) {
      if (open) regions.push(open);
      open = null;
      line += count;
      inLine += count;
      continue;
    }
    open ??= { from: line, to: line - 1, inFrom: inLine, inTo: inLine - 1, removed: [], added: [] };
    if (part.added) {
      line += count;
      open.to = line - 1;
      open.added.push(...part.value);
    } else {
      inLine += count;
      open.inTo = inLine - 1;
      open.removed.push(...part.value);
    }
  }
  if (open) regions.push(open);
  // A moved instruction is one change, not two: when the diff shows a region that only removes
  // lines which another region adds back, the move is checked where the lines landed (that
  // region still needs its fixed finding), not at the spot the diff happened to delete from.
  const landed = (r: Region) => {
    const pool = regions.filter((o) => o !== r).flatMap((o) => o.added);
    return r.removed.every((l) => {
      const i = pool.indexOf(l);
      if (i < 0) return false;
      pool.splice(i, 1);
      return true;
    });
  };
  const kept = regions.filter((r) => !(r.added.length === 0 && r.removed.length > 0 && landed(r)));
  // Regions one unchanged line apart are one change: with repeated lines (blank lines, duplicated
  // RUNs) the diff may split a single edit around a line that matches by accident.
  const merged: ChangedRegion[] = [];
  for (const r of kept) {
    const prev = merged[merged.length - 1];
    if (prev && r.from - Math.max(prev.to, prev.from - 1) <= 2) {
      prev.to = Math.max(prev.to, r.to);
      prev.inFrom = Math.min(prev.inFrom, r.inFrom);
      prev.inTo = Math.max(prev.inTo, r.inTo);
    } else {
      merged.push({ from: r.from, to: r.to, inFrom: r.inFrom, inTo: r.inTo });
    }
  }
  return merged;
}

/** Run the properties on one input; the problems found, one per line. */
export function violations(
  input: string,
  transforms: Transform[] = allTransforms,
  ctx: TransformContext = corpusContext('subdir'),
): string[] {
  const problems: string[] = [];
  let first: RunResult;
  try {
    first = runTransforms(input, transforms, ctx);
  } catch (e) {
    return [`runner threw: ${(e as Error).stack ?? e}`];
  }
  for (const f of first.findings) {
    // A text dockerfile-ast cannot parse is reported and left unchanged by design (the runner's
    // own finding); a transform that fails is a bug.
    if (f.transform === RUNNER_ID && f.message.includes('could not parse')) continue;
    if (f.message.startsWith(NOT_APPLIED))
      problems.push(`safety net caught [${f.transform}]: ${f.message}`);
  }
  const out = first.text;
  if (!first.changed) return problems;

  let second: RunResult;
  try {
    second = runTransforms(out, transforms, ctx);
  } catch (e) {
    return [...problems, `second run threw: ${(e as Error).stack ?? e}`];
  }
  if (second.text !== out) {
    const again = second.applied.map((a) => a.transform).join(', ');
    problems.push(`not idempotent: the second run changed the output again (${again})`);
  }

  const before = validatorErrors(input);
  const after = validatorErrors(out);
  if (after === null && before !== null) problems.push('output crashes the validator');
  if (before && after) {
    // Counted per error code: a message quotes the text it is about, so an error the input
    // already had reads differently once a fix rewrote a variable inside it.
    const count = (errors: string[], code: string) =>
      errors.filter((e) => e.startsWith(`${code}:`)).length;
    const added = after.filter((e) => {
      const code = e.split(':')[0];
      return count(after, code) > count(before, code);
    });
    if (added.length) problems.push(`new validator errors: ${added.join(' | ')}`);
  }

  if (input.startsWith('\uFEFF') !== out.startsWith('\uFEFF')) problems.push('BOM not preserved');
  if (directives(input) !== directives(out))
    problems.push('parser directives or escape character changed');
  const had = breakKinds(input);
  for (const kind of breakKinds(out)) {
    if (had.size === 0 ? kind !== '\n' : !had.has(kind))
      problems.push(`new line ending ${JSON.stringify(kind)} in output`);
  }

  const fixed = first.findings.filter((f) => f.fixed);
  const fixedLines = fixed.map((f) => f.line);
  // Where the fixed findings' edits fall in the original (when the runner could map them back):
  // a finding with several edits (02 moves a COPY and rewrites the ENVs that name its target)
  // points at one line, but every line its edits change is its change.
  const editedLines = fixed.flatMap((f) =>
    (f.originalEdits ?? []).map((e) => [e.startLine, e.endLine] as const),
  );
  const spans = instructionLines(out);
  const outLines = splitLines(out);
  for (const r of changedRegionsBothSides(input, out)) {
    const inLo = r.inFrom - 1;
    const inHi = Math.max(r.inTo, r.inFrom) + 1;
    if (editedLines.some(([a, b]) => a <= inHi && b >= inLo)) continue;
    // The instructions the changed lines belong to count as changed (the diff may align a moved
    // multi-line instruction so that only its last line reads as added), with one line of slack
    // (it may also align an inserted line one line off from the edit).
    let lo = r.from;
    let hi = Math.max(r.to, r.from);
    // Inserted copies of one line (blank lines) inside a run of that line: the diff may put them
    // anywhere in the run, so the whole run is where they were inserted.
    const added = outLines.slice(r.from - 1, r.to);
    if (r.inTo < r.inFrom && added.length > 0 && added.every((l) => l === added[0])) {
      while (lo > 1 && outLines[lo - 2] === added[0]) lo--;
      while (hi < outLines.length && outLines[hi] === added[0]) hi++;
    }
    for (const [start, end] of spans) {
      if (start <= hi && end >= lo) {
        lo = Math.min(lo, start);
        hi = Math.max(hi, end);
      }
    }
    lo -= 1;
    hi += 1;
    if (!fixedLines.some((l) => l >= lo && l <= hi)) {
      const shown = outLines.slice(r.from - 1, Math.max(r.to, r.from)).join('');
      problems.push(
        `output lines ${r.from}-${r.to} changed but no fixed finding points there: ${JSON.stringify(shown)}`,
      );
    }
  }
  return problems;
}

/** First and last line (1-based) of every instruction of a text, as dockerfile-ast reads it. */
function instructionLines(text: string): [number, number][] {
  try {
    return DockerfileParser.parse(text)
      .getInstructions()
      .map((i) => [i.getRange().start.line + 1, i.getRange().end.line + 1]);
  } catch {
    return [];
  }
}

/** Which single transforms, run alone, break a property on this input (for failure reports). */
export function blame(input: string, ctx: TransformContext = corpusContext('subdir')): string[] {
  return allTransforms.filter((t) => violations(input, [t], ctx).length > 0).map((t) => t.id);
}

/** A failure message that carries everything needed to reproduce. */
export function explain(input: string, problems: string[], ctx?: TransformContext): string {
  return [
    ...problems,
    `transforms that fail alone: ${blame(input, ctx).join(', ') || '(only in combination)'}`,
    `input: ${JSON.stringify(input)}`,
  ].join('\n');
}
