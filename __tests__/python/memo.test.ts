/**
 * The Python model remembers per-parse facts (ENV / USER / WORKDIR per instruction, pythonOf,
 * pip installs) and skips RUNs by their text. These tests compare the remembered answers with
 * the plain definitions on every fixture and corpus Dockerfile, and check the text guards on
 * spellings that only the shell-word splitter understands.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import type { Instruction } from 'dockerfile-ast';
import { parseDocument, type DockerDoc } from '../../src/model/document.js';
import type { Stage } from '../../src/model/stages.js';
import { shellSegments, shellWords, workdirBefore } from '../../src/model/markers.js';
import {
  containsSkippingQuotes,
  envAt,
  mayHaveWordWith,
  pipInstallsOf,
  runMayHaveWord,
  userAt,
  workdirAt,
} from '../../src/model/python.js';

function dockerfilesUnder(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) dockerfilesUnder(p, out);
    else if (/^Dockerfile|Containerfile|\.dockerfile$/i.test(e.name)) out.push(p);
  }
  return out;
}

const DOCS: { file: string; doc: DockerDoc }[] = dockerfilesUnder(path.resolve('__fixtures__'))
  .map((file) => {
    try {
      return { file, doc: parseDocument(fs.readFileSync(file, 'utf8')) };
    } catch {
      return null;
    }
  })
  .filter((d): d is { file: string; doc: DockerDoc } => d !== null);

function chainOf(stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let s: Stage | null = stage; s && !chain.includes(s); s = s.baseStage) chain.unshift(s);
  return chain;
}

/** envAt as defined: walk the chain from its root, applying each ENV's declarations. */
function plainEnvAt(doc: DockerDoc, stage: Stage, at?: Instruction): Map<string, string> {
  const env = new Map<string, string>();
  const expand = (value: string) =>
    value.replace(/\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g, (m, a?: string, b?: string) => {
      const v = env.get((a ?? b)!);
      return v === undefined ? m : v;
    });
  for (const s of chainOf(stage)) {
    for (const instr of s.instructions) {
      if (instr === at) return env;
      if (instr.getKeyword() !== 'ENV') continue;
      for (const d of doc.variables.declarations) {
        if (d.instruction !== instr || d.value === null) continue;
        env.set(d.name, expand(d.value));
      }
    }
  }
  return env;
}

/** userAt as defined: the root image's default user, then every USER of the chain. */
function plainUserAt(doc: DockerDoc, stage: Stage, at?: Instruction): string {
  const chain = chainOf(stage);
  let user = userAt(doc, chain[0], chain[0].from);
  for (const s of chain) {
    for (const instr of s.instructions) {
      if (instr === at) return user;
      if (instr.getKeyword() === 'USER') {
        const v = (instr.getRawArgumentsContent() ?? '').trim();
        if (v) user = v;
      }
    }
  }
  return user;
}

describe('remembered ENV / USER / WORKDIR equal the plain definitions', () => {
  test(`on ${DOCS.length} fixture Dockerfiles, at every instruction of every stage`, () => {
    expect(DOCS.length).toBeGreaterThan(100);
    let compared = 0;
    const mismatches: string[] = [];
    const same = (where: string, what: string, got: unknown, want: unknown) => {
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${where}: ${what}`);
    };
    for (const { file, doc } of DOCS) {
      for (const stage of doc.stages.stages) {
        // Every instruction of the document (also of other stages), and the end of the stage.
        const points: (Instruction | undefined)[] = [undefined, ...doc.instructions];
        for (const at of points) {
          const where = `${file} stage ${stage.index} at ${at ? doc.span(at).start : 'end'}`;
          same(where, 'env', [...envAt(doc, stage, at)], [...plainEnvAt(doc, stage, at)]);
          same(where, 'user', userAt(doc, stage, at), plainUserAt(doc, stage, at));
          same(
            where,
            'workdir',
            workdirAt(doc, stage, at),
            workdirBefore(doc, stage, at ?? null) ?? '/',
          );
          compared++;
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(1000);
  });

  test('callers get their own ENV map', () => {
    const doc = parseDocument('FROM python:3.12\nENV A=1\nRUN true\n');
    const stage = doc.stages.stages[0];
    envAt(doc, stage).set('A', 'changed');
    expect(envAt(doc, stage).get('A')).toBe('1');
  });
});

describe('text guards never skip a RUN the shell-word splitter would match', () => {
  const cases = [
    'RUN pip install --user grpcio',
    'RUN p"i"p install --user grpcio',
    "RUN p'i'p install --user grpcio",
    'RUN p\\ip install --user grpcio',
    'RUN echo hi && \\\n    python3 -m "pip" install x',
    'RUN python -m v"env" /opt/venv',
    'RUN echo no && true',
  ];
  test.each(cases)('%s', (run) => {
    const doc = parseDocument(`FROM python:3.12\n${run}\n`);
    const instr = doc.instructions[1];
    const words = shellSegments(doc, instr).flatMap((s) => shellWords(s.text));
    for (const needle of ['pip', 'venv', 'python', 'activate']) {
      if (words.some((w) => w.includes(needle))) {
        expect([needle, runMayHaveWord(doc, instr, needle)]).toEqual([needle, true]);
        for (const s of shellSegments(doc, instr)) {
          if (shellWords(s.text).some((w) => w.includes(needle))) {
            expect(mayHaveWordWith(s.text, needle)).toBe(true);
          }
        }
      }
    }
  });

  test('a quoted pip program is still an install', () => {
    const doc = parseDocument('FROM python:3.12\nRUN p"i"p install --user grpcio\n');
    const installs = pipInstallsOf(doc, doc.stages.stages[0]);
    expect(installs.map((i) => [i.flavour, i.packages])).toEqual([['user', ['grpcio']]]);
  });

  test('a RUN without the word is skipped', () => {
    const doc = parseDocument('FROM golang:1.22\nRUN go build -o /app ./cmd/app\n');
    expect(runMayHaveWord(doc, doc.instructions[1], 'pip')).toBe(false);
    expect(pipInstallsOf(doc, doc.stages.stages[0])).toEqual([]);
  });
});

describe('containsSkippingQuotes', () => {
  /** The definition: remove the quote and escape characters, then look for the needle. */
  const defined = (text: string, needle: string, start: number, end: number) =>
    text
      .slice(start, end)
      .replace(/["'\\`]/g, '')
      .includes(needle);

  test('answers like removing quotes and escapes, on generated texts and ranges', () => {
    let seed = 5;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    const pieces = ['p', 'i', 'pi', 'ip', '"', "'", '\\', '`', ' ', 'x', '\n', 'pip', 'py'];
    let positives = 0;
    for (let t = 0; t < 5000; t++) {
      let text = '';
      const len = Math.floor(next() * 14);
      for (let i = 0; i < len; i++) text += pieces[Math.floor(next() * pieces.length)];
      const start = Math.floor(next() * (text.length + 1));
      const end = start + Math.floor(next() * (text.length - start + 1));
      for (const needle of ['pip', 'p', 'ip', 'python']) {
        const want = defined(text, needle, start, end);
        if (want) positives++;
        expect([
          text,
          start,
          end,
          needle,
          containsSkippingQuotes(text, needle, start, end),
        ]).toEqual([text, start, end, needle, want]);
      }
    }
    expect(positives).toBeGreaterThan(1000);
  });
});

describe('runMayHaveWord', () => {
  test('answers like the definition on each RUN of generated files with several RUNs', () => {
    let seed = 11;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    const pieces = ['p', 'i', 'pip', 'ip', '"', "'", '\\\n  ', ' ', 'x', 'env', 'v', '&& '];
    /** The needle in the RUN's text once quotes and escapes are removed. */
    const defined = (doc: DockerDoc, instr: Instruction, needle: string) => {
      const { start, end } = doc.span(instr);
      return containsSkippingQuotes(doc.text.slice(start, end), needle);
    };
    let positives = 0;
    let negatives = 0;
    for (let t = 0; t < 400; t++) {
      let text = 'FROM python:3.12\n';
      const runs = 1 + Math.floor(next() * 6);
      for (let r = 0; r < runs; r++) {
        text += 'RUN ';
        const len = 1 + Math.floor(next() * 8);
        for (let i = 0; i < len; i++) text += pieces[Math.floor(next() * pieces.length)];
        text += '\n';
      }
      const doc = parseDocument(text);
      for (const instr of doc.instructions) {
        if (instr.getKeyword() !== 'RUN') continue;
        for (const needle of ['pip', 'venv']) {
          const want = defined(doc, instr, needle);
          if (want) positives++;
          else negatives++;
          expect([text, doc.span(instr), needle, runMayHaveWord(doc, instr, needle)]).toEqual([
            text,
            doc.span(instr),
            needle,
            want,
          ]);
        }
      }
    }
    expect(positives).toBeGreaterThan(300);
    expect(negatives).toBeGreaterThan(300);
  });
});
