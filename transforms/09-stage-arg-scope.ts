/**
 * 09 — An ARG declared before the first FROM (or in another stage, or one of BuildKit's automatic
 * platform args) is not visible inside a stage until that stage says `ARG X`; without it `$X`
 * expands to an empty string (the log's LABELs with empty version and revision).
 * Inserts `ARG X[=default it had elsewhere]` after the FROM, grouped with the stage's ARGs.
 */
import type { Instruction } from 'dockerfile-ast';
import type { Transform, Finding } from '../src/transform.js';
import type { DockerDoc } from '../src/model/document.js';
import { stageLabel, type Stage } from '../src/model/stages.js';
import { isAutomaticArg, type VarUse } from '../src/model/variables.js';
import { insertAt } from '../src/edits.js';

function describeOrigin(doc: DockerDoc, name: string): string {
  if (isAutomaticArg(name)) return `an automatic platform arg`;
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
    for (const use of vars.uses) {
      if (!use.stage || use.scope !== 'none' || use.instruction.getKeyword() === 'FROM') continue;
      if (!argNames.has(use.name) && !isAutomaticArg(use.name)) continue;
      const list = missing.get(use.stage) ?? [];
      if (!list.some((u) => u.name === use.name)) list.push(use);
      missing.set(use.stage, list);
    }
    const findings: Finding[] = [];
    const eol = doc.style.eol;
    for (const [stage, uses] of missing) {
      const anchor = anchorFor(stage, uses[0].instruction);
      const indent = doc.indentOf(anchor === stage.from ? stage.from : anchor);
      const lines = uses.map((u) => {
        const def = isAutomaticArg(u.name) ? null : vars.argDefault(u.name);
        return `${indent}${doc.keyword('ARG')} ${u.name}${def !== null ? `=${def}` : ''}`;
      });
      const at = doc.span(anchor).end;
      const edit = insertAt(at, lines.map((l) => eol + l).join(''));
      uses.forEach((u, i) => {
        findings.push({
          severity: 'warning',
          offset: u.start,
          message:
            `$${u.name} is used in stage ${stageLabel(stage)} but ${describeOrigin(doc, u.name)}, ` +
            `so it is empty here; add ${lines[i].trim()}`,
          edits: i === 0 ? [edit] : undefined,
        });
      });
    }
    return findings;
  },
};

export default transform;
