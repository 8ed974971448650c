/**
 * 09 — An ARG declared before the first FROM (or in another stage, or one of BuildKit's automatic
 * platform args) is not visible inside a stage until that stage says `ARG X`; without it `$X`
 * expands to an empty string (the log's LABELs with empty version and revision).
 * Inserts `ARG X[=default it had elsewhere]` after the FROM, grouped with the stage's ARGs.
 * An `ARG X` that the stage declares only after the first use is reported, not duplicated.
 */
import type { Instruction } from 'dockerfile-ast';
import { linesAfter } from '../src/model/instructions.js';
import type { Transform, Finding } from '../src/transform.js';
import type { DockerDoc } from '../src/model/document.js';
import { stageLabel, type Stage } from '../src/model/stages.js';
import {
  isAutomaticArg,
  refersToVariables,
  type Declaration,
  type VarUse,
} from '../src/model/variables.js';

function describeOrigin(doc: DockerDoc, name: string): string {
  if (isAutomaticArg(name)) return 'an automatic platform arg, global scope only';
  const decls = doc.variables.declarations.filter((d) => d.kind === 'arg' && d.name === name);
  if (decls.some((d) => d.stage === null)) return 'declared before the first FROM';
  const other = decls[0]?.stage;
  return other ? `declared in stage ${stageLabel(other)}` : 'declared elsewhere';
}

/** The instruction after which the new ARGs go: the last ARG before the first use, else the FROM. */
function anchorFor(stage: Stage, firstUse: Instruction): Instruction {
  let anchor: Instruction = stage.from;
  for (const instr of stage.instructions) {
    if (instr === firstUse) break;
    if (instr.getKeyword() === 'ARG') anchor = instr;
  }
  return anchor;
}

/** The stage's own `ARG X` that comes after the use, if any. */
function laterArgInStage(doc: DockerDoc, use: VarUse): Declaration | undefined {
  return doc.variables.declarations.find(
    (d) =>
      d.kind === 'arg' &&
      d.name === use.name &&
      d.stage === use.stage &&
      doc.span(d.instruction).start > use.start,
  );
}

/**
 * The default the new ARG gets: the one written elsewhere, when it is a plain value — no
 * variables, no line break, no quote left open (unquoted, or wholly in one pair of quotes).
 * Copied into the stage, variables would expand in the stage's scope (where they are not
 * declared) instead of where the default was written, and an open quote or a line break would
 * run into the next lines. Otherwise the line is a bare `ARG X`, which takes the global ARG's
 * value as it was expanded there.
 */
function copiedDefault(def: string | null): string | null {
  if (def === null || refersToVariables(def) || /[\r\n]/.test(def)) return null;
  return /^(?:[^"'\\]*|"[^"\\]*"|'[^']*')$/.test(def) ? def : null;
}

const transform: Transform = {
  id: '09-stage-arg-scope',
  number: 9,
  title: 'Declare ARGs inside the stages that use them',
  safety: 'safe',
  sources: ['BuildKit UndefinedVar', 'hadolint: ARG scope (docs)'],
  detect(doc) {
    const vars = doc.variables;
    const argNames = new Set(vars.declarations.filter((d) => d.kind === 'arg').map((d) => d.name));
    const missing = new Map<Stage, VarUse[]>();
    const findings: Finding[] = [];
    const reported = new Set<string>();
    for (const use of vars.uses) {
      if (!use.stage || use.scope !== 'none') continue;
      if (!argNames.has(use.name) && !isAutomaticArg(use.name)) continue;
      if (use.instruction.getKeyword() === 'FROM') {
        // FROM sees only ARGs declared before the first FROM; a stage's ARG is no help there.
        if (isAutomaticArg(use.name)) continue;
        findings.push({
          severity: 'warning',
          offset: use.start,
          message:
            `$${use.name} is used in FROM but is ${describeOrigin(doc, use.name)}; FROM only sees ` +
            `ARGs declared before the first FROM: move ARG ${use.name} there`,
        });
        continue;
      }
      const later = laterArgInStage(doc, use);
      if (later) {
        const key = `${use.stage.index}:${use.name}`;
        if (reported.has(key)) continue;
        reported.add(key);
        findings.push({
          severity: 'warning',
          offset: use.start,
          message:
            `$${use.name} is used in stage ${stageLabel(use.stage)} before its ARG ${use.name} ` +
            `(line ${doc.lineOf(doc.span(later.instruction).start) + 1}), so it is empty here; ` +
            'move the ARG above its first use',
        });
        continue;
      }
      const list = missing.get(use.stage) ?? [];
      if (!list.some((u) => u.name === use.name)) list.push(use);
      missing.set(use.stage, list);
    }
    for (const [stage, uses] of missing) {
      const anchor = anchorFor(stage, uses[0].instruction);
      const indent = doc.indentOf(anchor);
      const lines = uses.map((u) => {
        const def = isAutomaticArg(u.name) ? null : copiedDefault(vars.argDefault(u.name));
        return `${indent}${doc.keyword('ARG')} ${u.name}${def !== null ? `=${def}` : ''}`;
      });
      const names = uses.map((u) => `$${u.name} (${describeOrigin(doc, u.name)})`);
      findings.push({
        severity: 'warning',
        offset: uses[0].start,
        message:
          `stage ${stageLabel(stage)} uses ${names.join(', ')} without declaring ` +
          `${uses.length === 1 ? 'it' : 'them'}, so ${uses.length === 1 ? 'it is' : 'they are'} ` +
          `empty there; add ${lines.map((l) => l.trim()).join(', ')}`,
        edits: linesAfter(doc, anchor, lines),
      });
    }
    return findings.sort((a, b) => a.offset - b.offset);
  },
};

export default transform;
