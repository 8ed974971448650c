/**
 * 08 — A constant `--platform=linux/arm64` on the final stage builds that architecture whatever
 * `--platform` the build asks for. `$TARGETPLATFORM` follows the request (the log's fix); with
 * `platformStyle: "omit"` the flag is removed instead (BuildKit: the default already is the target).
 */
import type { Transform, Finding } from '../src/transform.js';
import { replaceRange } from '../src/edits.js';
import { stageLabel } from '../src/model/stages.js';

function isLiteral(value: string): boolean {
  return !value.includes('$') && value.trim() !== '';
}

const transform: Transform = {
  id: '08-runtime-targetplatform',
  number: 8,
  title: 'Use $TARGETPLATFORM, not a constant platform, on the final stage',
  safety: 'safe',
  sources: ['BuildKit FromPlatformFlagConstDisallowed', 'BuildKit RedundantTargetPlatform'],
  detect(doc, ctx) {
    const final = doc.stages.final;
    if (!final) return [];
    const findings: Finding[] = [];
    // A stage the final stage is built FROM pins the final image just the same; its platform
    // may be deliberate (a base used by several stages), so it is reported, not rewritten.
    for (const base of doc.stages.stages) {
      if (base.role !== 'base' || !base.platform || !isLiteral(base.platform.value)) continue;
      findings.push({
        severity: 'warning',
        offset: base.start,
        message:
          `the final stage is built FROM stage ${stageLabel(base)}, which is pinned to ` +
          `--platform=${base.platform.value}: the final image gets that architecture whatever the build ` +
          'asks for; use $TARGETPLATFORM there (or remove the flag)',
      });
    }
    const p = final.platform;
    // Only a literal value: any variable may be set by --build-arg on purpose.
    if (!p || !isLiteral(p.value)) return findings;
    const omit = ctx.config.platformStyle === 'omit';
    let edit;
    if (omit) {
      // Remove the flag and the blanks after it, keeping the rest of the line as it is.
      let end = p.end;
      while (end < doc.text.length && (doc.text[end] === ' ' || doc.text[end] === '\t')) end++;
      edit = replaceRange(p.start, end, '');
      // A flag alone on a continuation line takes the whole line with it (no empty continuation).
      const line = doc.lineOf(p.start);
      const before = doc.text.slice(doc.lineStarts[line], p.start);
      const after = doc.text.slice(end, doc.lineEnd(line));
      if (line > doc.lineOf(final.start) && /^[ \t]*$/.test(before) && after === doc.style.escape) {
        const next = line + 1 < doc.lineStarts.length ? doc.lineStarts[line + 1] : doc.text.length;
        edit = replaceRange(doc.lineStarts[line], next, '');
      }
    } else {
      edit = replaceRange(p.valueStart, p.valueEnd, '$TARGETPLATFORM');
    }
    findings.push({
      severity: 'warning',
      offset: final.start,
      message:
        `final stage is pinned to --platform=${p.value}: builds for any other platform get this architecture ` +
        `(exec format error); ${omit ? 'removed the flag' : 'use $TARGETPLATFORM'}`,
      edits: [edit],
    });
    return findings.sort((a, b) => a.offset - b.offset);
  },
};

export default transform;
