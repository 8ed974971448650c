/**
 * Stages and their roles, from the `FROM <stage>` and `COPY --from` / `RUN --mount=from=` graph.
 *
 * - final: the last stage (or the configured target)
 * - base: a stage the final stage is built FROM (directly or through other stages)
 * - builder: a non-final stage whose files reach the final stage through --from (transitively)
 * - unused: anything else
 */
import type { Instruction, From, Flag } from 'dockerfile-ast';
import type { DockerDoc } from './document.js';

export type StageRole = 'final' | 'base' | 'builder' | 'unused';

export interface PlatformFlag {
  /** The flag value as written (`$TARGETPLATFORM`, `linux/arm64`). */
  value: string;
  /** Offsets of the whole flag `--platform=...`. */
  start: number;
  end: number;
  /** Offsets of the value only. */
  valueStart: number;
  valueEnd: number;
}

export interface StageRef {
  /** The `--from` / `from=` value as written. */
  value: string;
  /** The stage it names, or null when it names an image. */
  stage: Stage | null;
  instruction: Instruction;
}

export interface Stage {
  index: number;
  /** The `AS` name as written, or null. */
  name: string | null;
  from: From;
  /** Instructions of the stage, FROM first. */
  instructions: Instruction[];
  /** The image reference as written after the flags (`python:3.11-slim`, `builder`, `scratch`). */
  image: string;
  /** The earlier stage this stage is built FROM, if any. */
  baseStage: Stage | null;
  platform: PlatformFlag | null;
  /** Stages (and images) this stage copies or mounts files from. */
  copiesFrom: StageRef[];
  role: StageRole;
  /** No shell in the image: distroless, chainguard (non -dev), scratch, or built on one. */
  shellless: boolean;
  /** Offset of the FROM and of the end of the last instruction of the stage. */
  start: number;
  end: number;
}

export interface StageModel {
  stages: Stage[];
  /** ARG instructions before the first FROM. */
  globalArgs: Instruction[];
  final: Stage | null;
  /** The stage whose instructions include the given instruction, or null (global scope). */
  stageOf(instr: Instruction): Stage | null;
  /** Stage named by a `--from` / FROM value (case-insensitive name or numeric index) before `beforeIndex`. */
  resolve(ref: string, beforeIndex?: number): Stage | null;
}

export function analyseStages(doc: DockerDoc, target?: string): StageModel {
  const stages: Stage[] = [];
  const globalArgs: Instruction[] = [];
  for (const instr of doc.instructions) {
    const kw = instr.getKeyword();
    if (kw === 'FROM') {
      const from = instr as From;
      const span = doc.span(from);
      const stage: Stage = {
        index: stages.length,
        name: from.getBuildStage(),
        from,
        instructions: [from],
        image: imageText(doc, from),
        baseStage: null,
        platform: platformOf(doc, from),
        copiesFrom: [],
        role: 'unused',
        shellless: false,
        start: span.start,
        end: span.end,
      };
      stages.push(stage);
      continue;
    }
    const current = stages[stages.length - 1];
    if (!current) {
      if (kw === 'ARG') globalArgs.push(instr);
      continue;
    }
    current.instructions.push(instr);
  }
  // A stage ends where its last instruction ends: one span per stage, not one per instruction.
  for (const stage of stages) {
    const last = stage.instructions[stage.instructions.length - 1];
    if (last !== stage.from) stage.end = doc.span(last).end;
  }

  const resolve = (ref: string, beforeIndex = stages.length): Stage | null => {
    if (/^\d+$/.test(ref)) {
      const i = Number(ref);
      return i < beforeIndex ? stages[i] : null;
    }
    const key = ref.toLowerCase();
    for (let i = Math.min(beforeIndex, stages.length) - 1; i >= 0; i--) {
      if (stages[i].name?.toLowerCase() === key) return stages[i];
    }
    return null;
  };

  for (const stage of stages) {
    // FROM <stage> only refers to a stage by name (not index).
    const named = /^\d+$/.test(stage.image) ? null : resolve(stage.image, stage.index);
    stage.baseStage = named;
    for (const instr of stage.instructions) {
      for (const value of fromReferences(instr)) {
        stage.copiesFrom.push({ value, stage: resolve(value, stage.index), instruction: instr });
      }
    }
    stage.shellless = stage.baseStage ? stage.baseStage.shellless : isShelllessImage(stage.image);
  }

  let final: Stage | null = stages.length ? stages[stages.length - 1] : null;
  if (target) final = resolve(target) ?? final;
  assignRoles(stages, final);

  return {
    stages,
    globalArgs,
    final,
    stageOf: (instr) => stageHolding(stages, instr),
    resolve,
  };
}

/**
 * The stage whose instructions include `instr` (the same object), or null. Few instructions are
 * ever asked about, so there is no per-instruction map: the stage and the instruction are found
 * by start line (instructions never share a start line, and are in file order), then checked by
 * identity; an instruction not found that way (an ONBUILD trigger, another parse's) is looked
 * for in every stage, so the answer is the same as a lookup table's.
 */
function stageHolding(stages: Stage[], instr: Instruction): Stage | null {
  const line = instr.getRange().start.line;
  // Before the first FROM (global ARGs): every stage's instructions start on later lines.
  if (stages.length === 0 || line < stages[0].from.getRange().start.line) return null;
  let lo = 0;
  let hi = stages.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (stages[mid].from.getRange().start.line <= line) lo = mid;
    else hi = mid - 1;
  }
  const stage = stages[lo];
  if (stage) {
    const list = stage.instructions;
    let a = 0;
    let b = list.length - 1;
    while (a < b) {
      const mid = (a + b + 1) >> 1;
      if (list[mid].getRange().start.line <= line) a = mid;
      else b = mid - 1;
    }
    if (list[a] === instr) return stage;
  }
  for (const s of stages) if (s.instructions.includes(instr)) return s;
  return null;
}

function assignRoles(stages: Stage[], final: Stage | null): void {
  if (!final) return;
  final.role = 'final';
  const base = new Set<Stage>();
  for (let s = final.baseStage; s && !base.has(s); s = s.baseStage) {
    base.add(s);
    s.role = 'base';
  }
  // Everything the final stage (or its bases) pulls in through --from, and what those are built on.
  const queue: Stage[] = [final, ...base];
  const seen = new Set<Stage>(queue);
  while (queue.length) {
    const s = queue.shift()!;
    const next: Stage[] = s.copiesFrom.flatMap((r) => (r.stage ? [r.stage] : []));
    if (s.role === 'builder' && s.baseStage) next.push(s.baseStage);
    for (const n of next) {
      if (seen.has(n)) continue;
      seen.add(n);
      if (n.role === 'unused') n.role = 'builder';
      queue.push(n);
    }
  }
}

/** Values of `--from=` on COPY/ADD and `from=` inside RUN `--mount=` flags. */
export function fromReferences(instr: Instruction): string[] {
  const kw = instr.getKeyword();
  if (kw !== 'COPY' && kw !== 'ADD' && kw !== 'RUN') return [];
  const flags = flagsOf(instr);
  const refs: string[] = [];
  for (const flag of flags) {
    const name = flag.getName().toLowerCase();
    const value = flag.getValue();
    if (value === null) continue;
    if (name === 'from' && kw !== 'RUN') refs.push(value);
    if (name === 'mount' && kw === 'RUN') {
      for (const part of value.split(',')) {
        const [k, v] = part.split('=');
        if (k?.trim().toLowerCase() === 'from' && v) refs.push(v.trim());
      }
    }
  }
  return refs;
}

/** All `--flag` of an instruction that has flags (COPY, ADD, RUN, FROM, HEALTHCHECK). */
export function flagsOf(instr: Instruction): Flag[] {
  const withFlags = instr as unknown as { getFlags?: () => Flag[] };
  return typeof withFlags.getFlags === 'function' ? withFlags.getFlags() : [];
}

function imageText(doc: DockerDoc, from: From): string {
  const range = from.getImageRange();
  if (range) return doc.slice(doc.offsetAt(range.start), doc.offsetAt(range.end));
  const args = from.getArguments().filter((a) => !a.getValue().startsWith('--'));
  return args[0]?.getValue() ?? '';
}

function platformOf(doc: DockerDoc, from: From): PlatformFlag | null {
  const flag = from.getFlags().find((f) => f.getName().toLowerCase() === 'platform');
  if (!flag) return null;
  const valueRange = flag.getValueRange();
  const whole = doc.spanOf(flag.getRange());
  if (!valueRange) return null;
  const v = doc.spanOf(valueRange);
  return {
    value: flag.getValue() ?? '',
    start: whole.start,
    end: whole.end,
    valueStart: v.start,
    valueEnd: v.end,
  };
}

/** Distroless, chainguard without -dev, or scratch: no /bin/sh in the image. */
export function isShelllessImage(image: string): boolean {
  const ref = image.toLowerCase();
  if (ref === 'scratch') return true;
  const name = ref.split('@')[0];
  if (/(^|\/)distroless\//.test(name)) return !/:debug(-|$)/.test(name);
  if (name.startsWith('cgr.dev/chainguard/')) return !/-dev($|[-.])/.test(name.split(':')[1] ?? '');
  return false;
}

/** How findings name a stage: `"builder"`, or `#1 (gcr.io/distroless/python3-debian12)`. */
export function stageLabel(stage: Stage): string {
  return stage.name ? `"${stage.name}"` : `#${stage.index} (${stage.image})`;
}
