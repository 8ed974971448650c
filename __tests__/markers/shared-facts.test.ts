/**
 * The per-parse facts markers.ts shares between transforms (perf, issue 7) answer exactly what
 * the plain loops they replace answer: marker writes spelt with quotes and escapes, segments
 * across continuations, WORKDIRs of another stage's instruction, marker RUNs per stage.
 */
import { describe, expect, test } from '@jest/globals';
import { parseDocument, type DockerDoc } from '../../src/model/document.js';
import { defaultContext } from '../../src/context.js';
import {
  isPythonDockerfile,
  markerRunsOf,
  markerWrites,
  runtimeOwner,
  shellSegments,
  workdirBefore,
} from '../../src/model/markers.js';
import { isBuildStep } from '../../transforms/17-copy-before-markers.js';

const paths = (doc: DockerDoc, i: number) =>
  markerWrites(doc, doc.instructions[i]).map((w) => w.path);

describe('marker writes spelt with quotes and backslashes', () => {
  test('quotes or backslashes between the letters of "marker" still name a marker', () => {
    const doc = parseDocument(
      [
        'FROM a',
        'RUN touch /a/.mar"k"er',
        "RUN echo x > /b/.x-MA'RK'ER",
        'RUN touch /c/.mar\\ker',
        'RUN touch /d/.mark\\',
        '    er',
        'RUN touch /e/notes',
        '',
      ].join('\n'),
    );
    expect(paths(doc, 1)).toEqual(['/a/.marker']);
    expect(paths(doc, 2)).toEqual(['/b/.x-MARKER']);
    expect(paths(doc, 3)).toEqual(['/c/.marker']);
    // A line continuation splits the word: `/d/.mark` and `er`, neither a marker.
    expect(paths(doc, 4)).toEqual([]);
    expect(paths(doc, 5)).toEqual([]);
  });

  test('a file without the letters has no marker RUN', () => {
    const doc = parseDocument('FROM a\nRUN touch /a/.x && echo > /b/flag\n');
    expect(paths(doc, 1)).toEqual([]);
    expect(markerRunsOf(doc, doc.stages.stages[0])).toEqual([]);
  });
});

describe('shell segments', () => {
  test('continuations with comment lines, CRLF, operators (as the scan before issue 7 split them)', () => {
    const text =
      'FROM a\r\nRUN a  b \\\r\n# gone\r\n  # gone too\r\n   c && "x;y" ; d&>/dev/null | e\r\n';
    const doc = parseDocument(text);
    const segs = shellSegments(doc, doc.instructions[1]);
    expect(segs.map((s) => s.text)).toEqual(['a  b     c', '"x;y"', 'd&>/dev/null', 'e']);
    expect(segs.map((s) => text.slice(s.start, s.end))).toEqual([
      'a  b \\\r\n# gone\r\n  # gone too\r\n   c',
      '"x;y"',
      'd&>/dev/null',
      'e',
    ]);
  });

  test('heredoc body: a quote keeps its line break inside the word', () => {
    const doc = parseDocument('FROM a\nRUN <<EOF\ntouch "/x/.mar\nker"\necho > /y/.marker\nEOF\n');
    const segs = shellSegments(doc, doc.instructions[1]);
    expect(segs.map((s) => s.text)).toEqual([
      '<<EOF',
      'touch "/x/.mar\nker"',
      'echo > /y/.marker',
      'EOF',
    ]);
    expect(paths(doc, 1)).toEqual(['/y/.marker']);
  });

  test('flags are skipped, a trailing continuation ends the RUN', () => {
    const doc = parseDocument('FROM a\nRUN --mount=type=cache,target=/x  echo "a;b" \\\n');
    expect(shellSegments(doc, doc.instructions[1]).map((s) => s.text)).toEqual(['echo "a;b"']);
  });
});

describe('WORKDIR and marker RUNs per stage', () => {
  const text = [
    'FROM python:3.12 AS base',
    'WORKDIR /app',
    'FROM base AS build',
    'RUN touch .x-marker',
    'WORKDIR pkg',
    'RUN echo "X" > .y-marker && echo > /abs/.z-marker',
    'FROM scratch',
    'WORKDIR rel',
    '',
  ].join('\n');
  const doc = parseDocument(text);
  const [base, build, last] = doc.stages.stages;

  test('before each instruction, at the end, through FROM <stage>, of another stage', () => {
    expect(workdirBefore(doc, build, build.instructions[1])).toBe('/app');
    expect(workdirBefore(doc, build, build.instructions[3])).toBe('/app/pkg');
    expect(workdirBefore(doc, build, null)).toBe('/app/pkg');
    expect(workdirBefore(doc, base, base.instructions[1])).toBe('/');
    // An instruction the stage does not hold: the stage's end.
    expect(workdirBefore(doc, base, build.instructions[1])).toBe('/app');
    expect(workdirBefore(doc, last, null)).toBe('/rel');
  });

  test('marker RUNs: what a loop of markerWrites over the stage finds, with index and WORKDIR', () => {
    const runs = markerRunsOf(doc, build);
    expect(runs.map((r) => [r.index, r.workdir, r.writes.map((w) => w.path)])).toEqual([
      [1, '/app', ['.x-marker']],
      [3, '/app/pkg', ['.y-marker', '/abs/.z-marker']],
    ]);
    expect(markerRunsOf(doc, base)).toEqual([]);
  });
});

describe('memoised per parse and config', () => {
  test('the same answers on every call; another config is asked again', () => {
    const doc = parseDocument('FROM python:3.12-slim\nCMD ["python", "-m", "app"]\n');
    const ctx = defaultContext({});
    const other = defaultContext({ config: { ...ctx.config, runtimeUser: '1000' } });
    expect(isPythonDockerfile(doc, ctx)).toBe(true);
    expect(isPythonDockerfile(doc, ctx)).toBe(true);
    expect(runtimeOwner(doc, ctx)).toBeNull();
    expect(runtimeOwner(doc, other)).toMatchObject({ chown: '1000:1000', source: 'config' });
    // Callers get their own copy.
    const owner = runtimeOwner(doc, other)!;
    owner.chown = 'changed';
    expect(runtimeOwner(doc, other)!.chown).toBe('1000:1000');
  });
});

describe('build steps with quoted programs (17)', () => {
  const step = (run: string) => {
    const doc = parseDocument(`FROM python:3.11\n${run}\n`);
    return isBuildStep(doc, doc.instructions[1]);
  };
  test('quotes and backslashes inside the program name', () => {
    expect(step('RUN "pyth"on -m compile\\all /app')).toBe(true);
    expect(step("RUN 'p'ip install .")).toBe(true);
    expect(step('RUN apt-get install -y gcc && make .')).toBe(false);
  });
});
