/**
 * 13 — A VCS revision build arg that only gets a value from `$(git rev-parse …)` breaks every
 * build made without a git checkout (a CI export, a zip, Windows Docker Desktop without git):
 * the log's correction 13. The ARG gets a default (`=manual-build`), the build command block's
 * `$(git rev-parse …)` becomes "manual-build", and a `RUN git rev-parse` in the Dockerfile
 * (which needs .git inside the build context) is reported.
 */
import type { Property } from 'dockerfile-ast';
import type { Transform, Finding } from '../src/transform.js';
import { findBuildCommandBlock, isVcsArgName, MANUAL_BUILD } from '../src/model/build-command.js';
import { runCommand } from '../src/model/instructions.js';
import { insertAt, replaceRange } from '../src/edits.js';

const GIT_IN_BLOCK =
  /"?\$\(\s*git\s+(?:-C\s+\S+\s+)?rev-parse\b[^)]*\)"?|`\s*git\s+(?:-C\s+\S+\s+)?rev-parse\b[^`]*`/g;
const GIT_IN_RUN = /(^|[\s;&|(`])git\s+(?:-C\s+\S+\s+)?(rev-parse|describe)\b/;

function propertiesOf(instr: unknown): Property[] {
  const p = instr as { getProperties?: () => Property[] };
  return typeof p.getProperties === 'function' ? p.getProperties() : [];
}

const transform: Transform = {
  id: '13-vcs-ref-without-git',
  number: 13,
  title: 'Give VCS revision args a default that does not need git',
  safety: 'safe',
  sources: ['OCI label org.opencontainers.image.revision', 'the log, correction 13'],
  detect(doc) {
    const findings: Finding[] = [];
    // runCommand only drops leading flags and turns each line continuation into a space, so a
    // command that matches GIT_IN_RUN has "rev-parse" or "describe" in the file as written.
    const gitInRuns = doc.text.includes('rev-parse') || doc.text.includes('describe');
    // Names declared in the global scope, built at the first VCS ARG without a value (rare).
    let globalNames: Set<string> | undefined;
    for (const instr of doc.instructions) {
      const kw = instr.getKeyword();
      if (kw === 'ARG') {
        for (const p of propertiesOf(instr)) {
          const name = p.getName();
          if (!isVcsArgName(name) || p.getValue() !== null) continue;
          // A stage's `ARG X` inherits the global default: give the default there instead.
          globalNames ??= new Set(
            doc.variables.declarations.filter((d) => d.stage === null).map((d) => d.name),
          );
          if (globalNames.has(name) && doc.stages.stageOf(instr) !== null) continue;
          const nameRange = p.getNameRange();
          const end = doc.offsetAt(nameRange.end);
          if (doc.text[end] === '=') continue;
          findings.push({
            severity: 'warning',
            offset: doc.offsetAt(nameRange.start),
            message:
              `ARG ${name} has no default: without --build-arg (or without git to compute it) the ` +
              `revision is empty; default it to "${MANUAL_BUILD}"`,
            edits: [insertAt(end, `=${MANUAL_BUILD}`)],
          });
        }
      } else if (kw === 'RUN' && gitInRuns) {
        const m = GIT_IN_RUN.exec(runCommand(doc, instr));
        if (m) {
          findings.push({
            severity: 'warning',
            offset: doc.span(instr).start,
            message:
              `RUN calls "git ${m[2]}": it needs .git inside the build context (often absent or ` +
              '.dockerignored); pass the revision in as a build arg (e.g. VCS_REF) instead',
          });
        }
      }
    }
    const block = findBuildCommandBlock(doc);
    // A block 12 cannot read (an unclosed quote or `$(`) is left as written, by 12 and here:
    // an edit inside it could make it readable, and the next run's 12 would then rewrite it.
    if (block && block.command.balanced) {
      const text = doc.slice(block.start, block.end);
      for (const m of text.matchAll(GIT_IN_BLOCK)) {
        const start = block.start + m.index!;
        findings.push({
          severity: 'warning',
          offset: start,
          message: `the build command computes the revision with git (${m[0]}): builds without git fail or get an empty value; use "${MANUAL_BUILD}"`,
          edits: [replaceRange(start, start + m[0].length, `"${MANUAL_BUILD}"`)],
        });
      }
    }
    return findings;
  },
};

export default transform;
