/**
 * 18 — The log marks the lines the copy pattern depends on with `# CRITICAL: <why>` comments, so
 * that nobody "tidies" them away: marker RUNs, COPYs with paths from the build context root,
 * `--platform` FROMs and exec-form checks. One comment per line, never duplicated, and never
 * where BuildKit would read it as a stage or ARG description (a comment immediately preceding
 * FROM or ARG): for a FROM the comment goes on the line after it.
 */
import * as path from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import type { Transform, Finding } from '../src/transform.js';
import type { DockerDoc } from '../src/model/document.js';
import type { Stage } from '../src/model/stages.js';
import { insertAt } from '../src/edits.js';
import { danglingContinuation } from '../src/model/instructions.js';
import { dockerfileFromRoot } from '../src/context.js';
import { parseCopy } from '../src/model/copy-sources.js';
import { execFormPythonCode } from '../src/model/python.js';
import { isPythonDockerfile, markerWrites } from '../src/model/markers.js';

const CRITICAL = /^[ \t]*#[ \t]*CRITICAL\b/i;
const COMMENT = /^[ \t]*#/;

/**
 * A `# CRITICAL` comment in the comment lines directly above `line` (for a non-FROM line, not
 * counting the `--platform` comment that sits below a FROM).
 */
function hasCriticalAbove(doc: DockerDoc, line: number, isFrom = false): boolean {
  for (let l = line - 1; l >= 0 && COMMENT.test(doc.lineText(l)); l--) {
    const text = doc.lineText(l);
    if (CRITICAL.test(text) && (isFrom || !text.includes('--platform'))) return true;
  }
  return false;
}

/** A `# CRITICAL` comment in the comment lines directly below `line`. */
function hasCriticalBelow(doc: DockerDoc, line: number): boolean {
  for (let l = line + 1; l < doc.lineStarts.length && COMMENT.test(doc.lineText(l)); l++) {
    if (CRITICAL.test(doc.lineText(l))) return true;
  }
  return false;
}

/** The first line after `line` that is not a comment line (or null at the end of the file). */
function nextNonComment(doc: DockerDoc, line: number): number | null {
  for (let l = line + 1; l < doc.lineStarts.length; l++) {
    if (!COMMENT.test(doc.lineText(l))) return l;
  }
  return null;
}

/** Whether a line starts an ARG or FROM (whose preceding comments BuildKit reads as descriptions). */
function startsDescribed(doc: DockerDoc, line: number): boolean {
  return doc.instructions.some((i) => {
    const kw = i.getKeyword();
    return (kw === 'ARG' || kw === 'FROM') && i.getRange().start.line === line;
  });
}

function platformReason(value: string): string {
  if (/^\$\{?BUILDPLATFORM\}?$/.test(value))
    return `--platform=${value} - builder runs on the build host (prevents exec format error)`;
  if (/^\$\{?TARGETPLATFORM\}?$/.test(value))
    return `--platform=${value} - this stage produces the target architecture`;
  return `--platform=${value} pins this stage's architecture`;
}

function markerReason(doc: DockerDoc, instr: Instruction): string {
  const paths = markerWrites(doc, instr).map((w) => w.path);
  const afterPip = paths.some((p) => /site-packages|\/\.local\/|\/bin\//.test(p));
  return `Must be AFTER ${afterPip ? 'pip install' : 'the source COPY'}, with actual content (not empty)`;
}

function isCheck(doc: DockerDoc, instr: Instruction): boolean {
  const code = execFormPythonCode(doc, instr);
  return code !== null && /\bassert\b|\bimport\b|find_spec/.test(code);
}

function contextRootCopy(doc: DockerDoc, instr: Instruction, dir: string | null): boolean {
  if (!dir) return false;
  const copy = parseCopy(doc, instr);
  if (!copy || copy.from !== null) return false;
  return copy.sources.some(
    (s) => !s.heredoc && !s.remote && (s.value === dir || s.value.startsWith(`${dir}/`)),
  );
}

/** The instruction's first line, shortened, to name it in a message. */
function summary(doc: DockerDoc, instr: Instruction): string {
  const text = doc.lineText(instr.getRange().start.line).trim();
  return `"${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;
}

const transform: Transform = {
  id: '18-critical-comments',
  number: 18,
  title: 'Mark the lines the copy pattern relies on with # CRITICAL comments',
  safety: 'safe',
  sources: ['dockerfile-controller-fix-log: correction 18', 'BuildKit stage/ARG descriptions'],
  detect(doc, ctx) {
    if (!isPythonDockerfile(doc, ctx)) return [];
    const findings: Finding[] = [];
    const eol = doc.style.eol;
    // The Dockerfile's folder matters only for a COPY/ADD: worked out at the first one.
    let dockerfileDir: string | null | undefined;
    const dirOfDockerfile = (): string | null => {
      if (dockerfileDir === undefined) {
        const fromRoot = dockerfileFromRoot(ctx);
        const dir = fromRoot ? path.posix.dirname(fromRoot) : null;
        dockerfileDir = dir && dir !== '.' ? dir : null;
      }
      return dockerfileDir;
    };
    const add = (instr: Instruction, reason: string) => {
      const line = instr.getRange().start.line;
      if (hasCriticalAbove(doc, line)) return;
      const indent = doc.indentOf(instr);
      findings.push({
        severity: 'info',
        offset: doc.lineStarts[line],
        message: `added "# CRITICAL: ${reason}" above ${summary(doc, instr)}`,
        edits: [insertAt(doc.lineStarts[line], `${indent}# CRITICAL: ${reason}${eol}`)],
      });
    };
    const addAfterFrom = (stage: Stage, reason: string) => {
      const r = stage.from.getRange();
      if (hasCriticalAbove(doc, r.start.line, true) || hasCriticalBelow(doc, r.end.line)) return;
      // A FROM that ends in a line continuation would take the comment in as one of its lines.
      if (danglingContinuation(doc, stage.from)) return;
      const comment = `${doc.indentOf(stage.from)}# CRITICAL: ${reason}`;
      // The comment must not become the description of a following ARG/FROM: keep a blank line.
      const next = nextNonComment(doc, r.end.line);
      const needsGap =
        next !== null && doc.lineText(next).trim() !== '' && startsDescribed(doc, next);
      const at = doc.lineEnd(r.end.line);
      // The FROM line's own line break (a file may mix them; an inserted `\r` before its `\n`
      // would make a `\r\n`), or the file's when it is the last line and has none.
      const nextStart = doc.lineStarts[r.end.line + 1];
      const brk = nextStart !== undefined ? doc.text.slice(at, nextStart) : eol;
      findings.push({
        severity: 'info',
        offset: at,
        message: `added "# CRITICAL: ${reason}" below ${summary(doc, stage.from)}`,
        edits: [insertAt(at, `${brk}${comment}${needsGap ? brk : ''}`)],
      });
    };
    for (const stage of doc.stages.stages) {
      if (stage.platform) addAfterFrom(stage, platformReason(stage.platform.value));
      for (const instr of stage.instructions) {
        const kw = instr.getKeyword();
        if (kw === 'RUN' && markerWrites(doc, instr).length > 0)
          add(instr, markerReason(doc, instr));
        else if (kw === 'RUN' && isCheck(doc, instr))
          add(
            instr,
            stage.shellless
              ? 'Exec form - this image has no shell; fails the build instead of the container at runtime'
              : 'Fails the build instead of the container at runtime',
          );
        else if ((kw === 'COPY' || kw === 'ADD') && contextRootCopy(doc, instr, dirOfDockerfile()))
          add(instr, 'Use full path from build context root (build context is .)');
      }
    }
    return findings;
  },
};

export default transform;
