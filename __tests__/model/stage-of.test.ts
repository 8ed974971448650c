/** stageOf: the stage holding an instruction (the same object), found without a lookup table. */
import { describe, expect, test } from '@jest/globals';
import type { Instruction } from 'dockerfile-ast';
import { parseDocument } from '../../src/model/document.js';

const TEXT = [
  '# syntax=docker/dockerfile:1',
  'ARG BASE=python:3.12',
  'ARG VCS_REF',
  'FROM $BASE AS build',
  'ONBUILD RUN echo hi',
  'RUN pip install \\',
  '    flask',
  '',
  'from scratch',
  'COPY --from=build /a /a',
  'FROM build AS final',
  'ARG VCS_REF',
  'CMD ["x"]',
  '',
].join('\n');

describe('stageOf', () => {
  test('answers like a table of every stage instruction', () => {
    const doc = parseDocument(TEXT);
    const table = new Map<Instruction, number>();
    for (const s of doc.stages.stages) for (const i of s.instructions) table.set(i, s.index);
    for (const instr of doc.instructions) {
      expect(doc.stages.stageOf(instr)?.index ?? null).toBe(table.get(instr) ?? null);
    }
    expect(doc.stages.stageOf(doc.instructions[0])).toBeNull(); // global ARG
  });

  test('an ONBUILD trigger or another parse’s instruction is in no stage', () => {
    const doc = parseDocument(TEXT);
    const onbuild = doc.instructions.find((i) => i.getKeyword() === 'ONBUILD') as unknown as {
      getTriggerInstruction(): Instruction | null;
    };
    const trigger = onbuild.getTriggerInstruction();
    expect(trigger).not.toBeNull();
    expect(doc.stages.stageOf(trigger!)).toBeNull();
    const other = parseDocument(TEXT);
    for (const instr of other.instructions) expect(doc.stages.stageOf(instr)).toBeNull();
  });

  test('a file without FROM has no stage for anything', () => {
    const doc = parseDocument('ARG A\nRUN x\n');
    for (const instr of doc.instructions) expect(doc.stages.stageOf(instr)).toBeNull();
  });
});
