/**
 * 08 — A constant `--platform=linux/arm64` on the final stage builds that architecture whatever
 * `--platform` the build asks for. `$TARGETPLATFORM` follows the request (the log's fix); with
 * `platformStyle: "omit"` the flag is removed instead (BuildKit: the default already is the target).
 */
import type { Transform, Finding } from '../src/transform.js';
import { replaceRange } from '../src/edits.js';

const transform: Transform = {
  id: '08-runtime-targetplatform',
  number: 8,
  title: 'Use $TARGETPLATFORM, not a constant platform, on the final stage',
  safety: 'safe',
  sources: ['BuildKit FromPlatformFlagConstDisallowed', 'BuildKit RedundantTargetPlatform'],
  detect(doc, ctx) {
    const final = doc.stages.final;
    const p = final?.platform;
    if (!final || !p) return [];
    // Only a literal value: any variable may be set by --build-arg on purpose.
    if (p.value.includes('$') || p.value.trim() === '') return [];
    const findings: Finding[] = [];
    const omit = ctx.config.platformStyle === 'omit';
    let edit;
    if (omit) {
      // Remove the flag and the blanks after it, keeping the rest of the line as it is.
      let end = p.end;
      while (end < doc.text.length && (doc.text[end] === ' ' || doc.text[end] === '\t')) end++;
      edit = replaceRange(p.start, end, '');
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
    return findings;
  },
};

export default transform;
