/**
 * One Dockerfile through the ordered transforms. Each transform sees the text the previous one
 * produced; the text is re-parsed only when it changed. Findings keep an offset that is mapped
 * through later edits, so reported lines point into the final text.
 */
import { parseDocument, type DockerDoc } from './model/document.js';
import { applyEdits, editsOverlap, mapOffset, sortEdits, type Edit } from './edits.js';
import type { Severity, Transform } from './transform.js';
import type { TransformContext } from './context.js';

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
}

export interface RunResult {
  original: string;
  text: string;
  changed: boolean;
  findings: ReportedFinding[];
  /** Edits each transform applied, in order (for reporters that show fixes, e.g. SARIF). */
  applied: { transform: string; edits: Edit[] }[];
}

interface PendingFinding extends Omit<ReportedFinding, 'line'> {
  offset: number;
  lead: number;
}

export function runTransforms(
  text: string,
  transforms: Transform[],
  ctx: TransformContext,
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
  const pending: PendingFinding[] = [];
  const applied: RunResult['applied'] = [];
  for (const transform of transforms) {
    // Safety net: a transform that throws, or whose output fails a check, leaves the text as it
    // was; the others still run. The finding says why (the bar: fix correctly or say why).
    try {
      doc = runOne(transform, doc, ctx, pending, applied);
    } catch (e) {
      pending.push({
        transform: transform.id,
        severity: 'error',
        message: `${NOT_APPLIED}: ${errorText(e)}; fixes of ${transform.id} were not applied`,
        fixed: false,
        offset: 0,
        lead: 0,
      });
    }
  }
  const findings = pending.map(({ offset, lead: _lead, ...rest }) => ({
    ...rest,
    line: doc.lineOf(Math.min(offset, doc.text.length)) + 1,
  }));
  return { original: text, text: doc.text, changed: doc.text !== text, findings, applied };
}

/** One transform on `doc`: its accepted edits applied and checked; `pending` updated only on success. */
function runOne(
  transform: Transform,
  doc: DockerDoc,
  ctx: TransformContext,
  pending: PendingFinding[],
  applied: RunResult['applied'],
): DockerDoc {
  const findings = transform.detect(doc, ctx);
  const accepted: Edit[] = [];
  const own: PendingFinding[] = [];
  for (const f of findings) {
    const edits = f.edits ?? [];
    const conflicts = edits.some((e) => accepted.some((a) => editsOverlap(a, e)));
    const fixed = edits.length > 0 && !conflicts;
    if (fixed) accepted.push(...edits);
    own.push({
      transform: transform.id,
      severity: f.severity,
      message: f.message,
      fixed,
      offset: fixed ? Math.min(...edits.map((e) => e.start)) : f.offset,
      lead: fixed ? leadingBreak(edits) : 0,
    });
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

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BREAKS = /\r\n|\r|\n/g;

function breakKinds(text: string): Set<string> {
  return new Set(text.match(BREAKS) ?? []);
}

function unterminatedHeredocs(doc: DockerDoc): number {
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
