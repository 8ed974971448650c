/**
 * One Dockerfile through the ordered transforms. Each transform sees the text the previous one
 * produced; the text is re-parsed only when it changed. Findings keep an offset that is mapped
 * through later edits, so reported lines point into the final text.
 */
import { parseDocument, type DockerDoc } from './model/document.js';
import {
  applyEdits,
  editsOverlap,
  locateEdit,
  mapOffset,
  sortEdits,
  type Edit,
  type LocatedEdit,
} from './edits.js';
import type { Severity, Transform } from './transform.js';
import type { TransformContext } from './context.js';
import { isSuppressed, readSuppressions, type Suppressions } from './suppressions.js';

/** The `transform` name of findings the runner adds itself (safety net, size cap). */
export const RUNNER_ID = 'dockerfix';
/** Message prefix of the finding added when a transform threw or its output failed a check. */
export const NOT_APPLIED = 'internal error';
/** Parse cost grows with stages × comments (dockerfile-ast); above this the file is skipped. */
export const MAX_STAGE_COMMENT_PRODUCT = 2_000_000;

export interface ReportedFinding {
  transform: string;
  severity: Severity;
  /** 1-based line in the final text. */
  line: number;
  message: string;
  fixed: boolean;
  /** 1-based line of the same place in the original text (where --check/--dry-run point). */
  originalLine?: number;
  /** A fix exists but was withheld: an unsafe fix under --safe-only. */
  fixAvailable?: boolean;
  /** Silenced by a `# dockerfix-ignore` / `# dockerfix: skip=` comment: not fixed, not counted. */
  suppressed?: boolean;
  /** The fix as edits on the original text, when it can be expressed there (SARIF fixes). */
  originalEdits?: LocatedEdit[];
}

export type { LocatedEdit } from './edits.js';

export interface RunOptions {
  /** Apply only fixes of transforms marked safe; report the others as available. */
  safeOnly?: boolean;
  /** Honour suppression comments (default true). */
  suppressions?: boolean;
}

/** What runOne needs besides the document: options, the original, suppressions. */
interface RunState {
  options: RunOptions;
  original: DockerDoc;
  suppressions: Suppressions | null;
}

export interface RunResult {
  original: string;
  text: string;
  changed: boolean;
  findings: ReportedFinding[];
  /** Edits each transform applied, in order (for reporters that show fixes, e.g. SARIF). */
  applied: { transform: string; edits: Edit[] }[];
  /** Findings silenced by suppression comments (not in `findings`, not counted). */
  suppressed: ReportedFinding[];
}

interface PendingFinding extends Omit<ReportedFinding, 'line' | 'originalLine'> {
  offset: number;
  lead: number;
  /** Offset of the same place in the original text. */
  origin: number;
}

export function runTransforms(
  text: string,
  transforms: Transform[],
  ctx: TransformContext,
  options: RunOptions = {},
): RunResult {
  const tooComplex = complexityReason(text);
  if (tooComplex) return unchanged(text, tooComplex, 'warning');
  let doc: DockerDoc;
  try {
    doc = parseDocument(text, { target: ctx.config.target });
  } catch (e) {
    return unchanged(
      text,
      `${NOT_APPLIED}: could not parse (${errorText(e)}); file left unchanged`,
    );
  }
  // The parse of the text as read, for transforms that compare with it (12, 20).
  if (ctx.originalText === text && !ctx.originalDoc) ctx = { ...ctx, originalDoc: doc };
  const pending: PendingFinding[] = [];
  const applied: RunResult['applied'] = [];
  const state: RunState = {
    options,
    original: doc,
    suppressions: options.suppressions === false ? null : readSuppressions(doc),
  };
  for (const transform of transforms) {
    // Safety net: a transform that throws, or whose output fails a check, leaves the text as it
    // was; the others still run. The finding says why (the bar: fix correctly or say why).
    try {
      doc = runOne(transform, doc, ctx, pending, applied, state);
    } catch (e) {
      pending.push({
        transform: transform.id,
        severity: 'error',
        message: `${NOT_APPLIED}: ${errorText(e)}; fixes of ${transform.id} were not applied`,
        fixed: false,
        offset: 0,
        lead: 0,
        origin: 0,
      });
    }
  }
  const reported = pending.map((p) =>
    report(
      p,
      doc.lineOf(Math.min(p.offset, doc.text.length)) + 1,
      state.original.lineOf(Math.min(p.origin, text.length)) + 1,
    ),
  );
  return {
    original: text,
    text: doc.text,
    changed: doc.text !== text,
    findings: reported.filter((f) => !f.suppressed),
    applied,
    suppressed: reported.filter((f) => f.suppressed),
  };
}

/** A transform's finding as pending, built field by field (one object shape for all). */
function pendingOf(
  transform: Transform,
  f: { severity: Severity; message: string },
  fixed: boolean,
  offset: number,
  lead: number,
  origin: number,
): PendingFinding {
  return {
    transform: transform.id,
    severity: f.severity,
    message: f.message,
    fixed,
    offset,
    lead,
    origin,
  };
}

/**
 * A pending finding as reported, at its final line. Built field by field in the order the
 * pending finding has them (a rest-and-spread copy cost ≈0.1 s per 2,000 files in profiles).
 */
function report(p: PendingFinding, line: number, originalLine: number): ReportedFinding {
  const r = {
    transform: p.transform,
    severity: p.severity,
    message: p.message,
    fixed: p.fixed,
  } as ReportedFinding;
  if (p.suppressed !== undefined) r.suppressed = p.suppressed;
  if (p.fixAvailable !== undefined) r.fixAvailable = p.fixAvailable;
  if (p.originalEdits !== undefined) r.originalEdits = p.originalEdits;
  r.line = line;
  r.originalLine = originalLine;
  return r;
}

/** One transform on `doc`: its accepted edits applied and checked; `pending` updated only on success. */
function runOne(
  transform: Transform,
  doc: DockerDoc,
  ctx: TransformContext,
  pending: PendingFinding[],
  applied: RunResult['applied'],
  state: RunState,
): DockerDoc {
  const findings = transform.detect(doc, ctx);
  // Most transforms find nothing in most files: nothing to record, check or apply.
  if (findings.length === 0) return doc;
  const accepted: Edit[] = [];
  const own: PendingFinding[] = [];
  // The edits of earlier transforms, in order: how this text maps back to the original.
  const steps = applied.map((a) => a.edits);
  for (const f of findings) {
    const edits = f.edits ?? [];
    if (
      state.suppressions &&
      isSuppressed(state.suppressions, transform, [f.offset, ...edits.map((e) => e.start)])
    ) {
      // Suppressed: reported apart, never fixed (its edits are dropped).
      const p = pendingOf(transform, f, false, f.offset, 0, mapBack(f.offset, steps));
      p.suppressed = true;
      own.push(p);
      continue;
    }
    if (state.options.safeOnly && transform.safety !== 'safe' && edits.length > 0) {
      const p = pendingOf(transform, f, false, f.offset, 0, mapBack(f.offset, steps));
      p.fixAvailable = true;
      own.push(p);
      continue;
    }
    const conflicts = edits.some((e) => accepted.some((a) => editsOverlap(a, e)));
    const fixed = edits.length > 0 && !conflicts;
    if (!fixed) {
      own.push(pendingOf(transform, f, false, f.offset, 0, mapBack(f.offset, steps)));
      continue;
    }
    accepted.push(...edits);
    const offset = Math.min(...edits.map((e) => e.start));
    const originalEdits = locateBack(edits, steps, state.original);
    const origin = originalEdits?.length
      ? Math.min(...originalEdits.map((e) => e.start))
      : mapBack(offset, steps);
    const p = pendingOf(transform, f, true, offset, leadingBreak(edits), origin);
    if (originalEdits) p.originalEdits = originalEdits;
    own.push(p);
  }
  const edits = sortEdits(accepted).filter((e) => !(e.start === e.end && e.text === ''));
  const changedEdits = edits.filter((e) => doc.text.slice(e.start, e.end) !== e.text);
  if (changedEdits.length > 0) {
    const next = applyEdits(doc.text, changedEdits);
    const nextDoc = parseDocument(next, { target: ctx.config.target });
    const violation = safetyViolation(doc, nextDoc);
    if (violation) throw new Error(`its output ${violation}`);
    for (const p of pending) p.offset = mapOffset(p.offset, changedEdits);
    for (const p of own) {
      // A fixed finding points at the first character of its new text.
      p.offset = p.fixed
        ? mapOffsetLeft(p.offset, changedEdits) + p.lead
        : mapOffset(p.offset, changedEdits);
    }
    applied.push({ transform: transform.id, edits: changedEdits });
    doc = nextDoc;
    if (state.suppressions) state.suppressions = readSuppressions(doc);
  }
  pending.push(...own);
  return doc;
}

function unchanged(text: string, message: string, severity: Severity = 'error'): RunResult {
  return {
    original: text,
    text,
    changed: false,
    findings: [{ transform: RUNNER_ID, severity, line: 1, message, fixed: false }],
    applied: [],
    suppressed: [],
  };
}

function errorText(e: unknown): string {
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return 'parser recursion limit (dockerfile-ast RangeError on this input)';
  }
  return e instanceof Error ? e.message : String(e);
}

/**
 * Why a file is too costly to parse, or null. dockerfile-ast's cost grows with stages × comments
 * (4,000 stages and 8,000 comments take seconds; a 5 MB file took 78 s), and the runner parses
 * once per changing transform, so such files are skipped before the first parse.
 */
export function complexityReason(text: string): string | null {
  // Each counted line starts where `^` can match (after a CR, LF, U+2028 or U+2029, or at 0), so
  // stages × comments ≤ (positions / 2)²: a text with few such positions cannot be too complex.
  if (lineStartBound(text) <= MAX_SAFE_LINE_STARTS) return null;
  let stages = 0;
  let comments = 0;
  for (const m of text.matchAll(/^[ \t\uFEFF]*(#|from[ \t])/gim)) {
    if (m[1] === '#') comments++;
    else stages++;
  }
  if (stages * comments <= MAX_STAGE_COMMENT_PRODUCT) return null;
  return (
    `skipped: too large to parse safely (${stages} FROM lines × ${comments} comment lines ` +
    `> ${MAX_STAGE_COMMENT_PRODUCT} limit); file left unchanged`
  );
}

/** Below this many line starts, stages × comments cannot pass MAX_STAGE_COMMENT_PRODUCT. */
const MAX_SAFE_LINE_STARTS = Math.floor(2 * Math.sqrt(MAX_STAGE_COMMENT_PRODUCT));

/** How many places `^` can match in multiline mode: 1 + the CR, LF, U+2028 and U+2029 in the text. */
function lineStartBound(text: string): number {
  let n = 1;
  for (const terminator of ['\n', '\r', '\u2028', '\u2029']) {
    for (let i = text.indexOf(terminator); i >= 0; i = text.indexOf(terminator, i + 1)) {
      if (++n > MAX_SAFE_LINE_STARTS) return n;
    }
  }
  return n;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BREAKS = /\r\n|\r|\n/g;

/** The kinds of line break a text uses: one pass over its carriage returns and line feeds. */
function breakKinds(text: string): Set<string> {
  const kinds = new Set<string>();
  if (text.indexOf('\r') < 0) {
    if (text.indexOf('\n') >= 0) kinds.add('\n');
    return kinds;
  }
  BREAKS.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (kinds.size < 3 && (m = BREAKS.exec(text)) !== null) kinds.add(m[0]);
  return kinds;
}

function unterminatedHeredocs(doc: DockerDoc): number {
  // A heredoc starts with `<<`: without one anywhere there is nothing to count.
  if (!doc.text.includes('<<')) return 0;
  let n = 0;
  for (const instr of doc.instructions) {
    const h = instr as unknown as { getHeredocs?: () => { getDelimiterRange(): unknown }[] };
    for (const heredoc of h.getHeredocs?.() ?? []) if (!heredoc.getDelimiterRange()) n++;
  }
  return n;
}

/**
 * Checks every transform's output must pass, whatever the transform: the text still decodes,
 * BOM, parser directives and escape character are kept, no new kind of line ending appears,
 * no stage appears or disappears, no heredoc is left unterminated. Returns why not, or null.
 */
export function safetyViolation(before: DockerDoc, after: DockerDoc): string | null {
  if (!LONE_SURROGATE.test(before.text) && LONE_SURROGATE.test(after.text))
    return 'would split a character (lone UTF-16 surrogate)';
  if (before.style.bom !== after.style.bom) return 'would add or remove the byte-order mark';
  const directives = (d: DockerDoc) =>
    d.ast
      .getDirectives()
      .map((x) => `${x.getName()}=${x.getValue()}`)
      .join('\n');
  if (directives(before) !== directives(after) || before.style.escape !== after.style.escape)
    return 'would change the parser directives';
  const had = breakKinds(before.text);
  for (const kind of breakKinds(after.text)) {
    if (had.size === 0 ? kind !== '\n' : !had.has(kind))
      return `would add ${JSON.stringify(kind)} line endings the file does not use`;
  }
  const froms = (d: DockerDoc) => d.instructions.filter((i) => i.getKeyword() === 'FROM').length;
  if (froms(before) !== froms(after)) return 'would change the number of stages';
  if (unterminatedHeredocs(after) > unterminatedHeredocs(before))
    return 'would leave a heredoc unterminated';
  return null;
}

/** Like mapOffset, but an insertion exactly at the offset does not push it forward. */
function mapOffsetLeft(offset: number, edits: Edit[]): number {
  return mapOffset(
    offset,
    edits.filter((e) => !(e.start === e.end && e.start === offset)),
  );
}

/** Length of the line break an inserted line starts with, so the finding points at the new line. */
function leadingBreak(edits: Edit[]): number {
  const first = sortEdits(edits)[0];
  const lead = /^(\r\n|\r|\n)/.exec(first.text);
  return first.start === first.end && lead ? lead[0].length : 0;
}

/** Where an offset of the text after `edits` was before them (inside new text: its start). */
function unmapOffset(offset: number, edits: Edit[]): number {
  let delta = 0;
  for (const e of edits) {
    const newStart = e.start + delta;
    const newEnd = newStart + e.text.length;
    if (offset < newStart) break;
    if (offset === newStart || offset < newEnd) return e.start;
    if (offset === newEnd) return e.end;
    delta += e.text.length - (e.end - e.start);
  }
  return offset - delta;
}

/** An offset of the current text mapped back to the original text, through every step. */
function mapBack(offset: number, steps: Edit[][]): number {
  for (let i = steps.length - 1; i >= 0; i--) offset = unmapOffset(offset, steps[i]);
  return offset;
}

/** Whether a range of the text after `edits` lies only on text those edits did not write. */
function rangeIsOriginal(start: number, end: number, edits: Edit[]): boolean {
  let delta = 0;
  for (const e of edits) {
    const newStart = e.start + delta;
    const newEnd = newStart + e.text.length;
    if (newStart < newEnd) {
      const inside =
        start === end ? newStart < start && start < newEnd : start < newEnd && newStart < end;
      if (inside) return false;
    } else if (e.start < e.end && start < newStart && newStart < end) {
      return false; // the range spans a deletion: the original has more text there
    }
    delta += e.text.length - (e.end - e.start);
  }
  return true;
}

/**
 * A transform's edits expressed on the original text, or undefined when one of them touches
 * text an earlier transform wrote (such a fix only exists on top of the earlier one).
 */
function locateBack(
  edits: Edit[],
  steps: Edit[][],
  original: DockerDoc,
): LocatedEdit[] | undefined {
  const out: LocatedEdit[] = [];
  for (const e of sortEdits(edits)) {
    let start = e.start;
    let end = e.end;
    for (let i = steps.length - 1; i >= 0; i--) {
      if (!rangeIsOriginal(start, end, steps[i])) return undefined;
      const s = unmapOffset(start, steps[i]);
      end = start === end ? s : unmapOffset(end, steps[i]);
      start = s;
    }
    if (original.text.slice(start, end) === e.text) continue;
    out.push(locateEdit({ start, end, text: e.text }, original.lineStarts));
  }
  return out;
}
