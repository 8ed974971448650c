/** Variable uses, declarations and ARG/ENV scope per stage. */
import { describe, expect, test } from '@jest/globals';
import { parseDocument } from '../../src/model/document.js';
import { dollarFinder } from '../../src/model/variables.js';

/** `name:scope` of every use, in order (`!` marks a use the RUN shell expands). */
function uses(text: string): string[] {
  return parseDocument(text).variables.uses.map(
    (u) => `${u.name}:${u.scope}${u.viaShell ? '!' : ''}`,
  );
}

describe('scope', () => {
  test('a global ARG is visible to FROM only; inside a stage it needs ARG X', () => {
    const text = [
      'ARG TAG=3.20',
      'ARG VERSION=1',
      'FROM alpine:${TAG}',
      'LABEL v=$VERSION',
      'ARG VERSION',
      'LABEL v=$VERSION',
    ].join('\n');
    expect(uses(text)).toEqual(['TAG:global-arg', 'VERSION:none', 'VERSION:stage-arg']);
  });

  test('an ARG of one stage is not visible in the next', () => {
    const text = 'FROM a AS one\nARG X=1\nENV Y=$X\nFROM b\nENV Y=$X\n';
    expect(uses(text)).toEqual(['X:stage-arg', 'X:none']);
  });

  test('automatic platform args: in FROM they work, inside a stage they need ARG', () => {
    const text = [
      'FROM --platform=$BUILDPLATFORM golang AS b',
      'RUN echo $TARGETARCH',
      'ARG TARGETOS',
      'RUN echo $TARGETOS',
    ].join('\n');
    expect(uses(text)).toEqual([
      'BUILDPLATFORM:automatic',
      'TARGETARCH:none!',
      'TARGETOS:stage-arg!',
    ]);
  });

  test('ENV is inherited through FROM <stage>, transitively, but not through COPY --from', () => {
    const text = [
      'FROM alpine AS base',
      'ENV APP=/app',
      'FROM base AS mid',
      'FROM mid',
      'WORKDIR $APP',
      'FROM alpine',
      'COPY --from=base $APP /x',
    ].join('\n');
    expect(uses(text)).toEqual(['APP:inherited-env', 'APP:none']);
  });

  test('ENV of the stage, proxy args predefined', () => {
    expect(uses('FROM a\nENV D=/d\nWORKDIR $D\nRUN echo $HTTP_PROXY\n')).toEqual([
      'D:stage-env',
      'HTTP_PROXY:predefined!',
    ]);
  });

  test('declarations keep both the value and the text as written', () => {
    const doc = parseDocument('ARG A="1.0 beta"\nARG B\nARG C=\nFROM x\nARG D=d\nENV E=\'e f\'\n');
    const decls = doc.variables.declarations.map((d) => [
      d.name,
      d.kind,
      d.value,
      d.raw,
      d.stage?.index ?? null,
    ]);
    expect(decls).toEqual([
      ['A', 'arg', '1.0 beta', '"1.0 beta"', null],
      ['B', 'arg', null, null, null],
      ['C', 'arg', '', '', null],
      ['D', 'arg', 'd', 'd', 0],
      ['E', 'env', 'e f', "'e f'", 0],
    ]);
    expect(doc.variables.argDefault('A')).toBe('"1.0 beta"');
    expect(doc.variables.argDefault('D')).toBe('d');
    expect(doc.variables.argDefault('B')).toBeNull();
    expect(doc.variables.argDefault('E')).toBeNull();
  });

  test('one ARG may declare several names (ARG TARGETOS TARGETARCH)', () => {
    const doc = parseDocument(
      'ARG G1 G2="a b"\nFROM a\nARG TARGETOS TARGETARCH\nARG F=1 G\nRUN echo $TARGETARCH $G\n',
    );
    const decls = doc.variables.declarations.map((d) => [d.name, d.value, d.raw]);
    expect(decls).toEqual([
      ['G1', null, null],
      ['G2', 'a b', '"a b"'],
      ['TARGETOS', null, null],
      ['TARGETARCH', null, null],
      ['F', '1', '1'],
      ['G', null, null],
    ]);
    expect(doc.variables.uses.map((u) => `${u.name}:${u.scope}`)).toEqual([
      'TARGETARCH:stage-arg',
      'G:stage-arg',
    ]);
  });

  test('argDefault prefers the global default over a stage default', () => {
    const doc = parseDocument('ARG V=global\nFROM a\nARG V=stage\nFROM b\n');
    expect(doc.variables.argDefault('V')).toBe('global');
    expect(parseDocument('ARG V\nFROM a\nARG V=stage\n').variables.argDefault('V')).toBe('stage');
  });

  test('isDeclaredAnywhere and isImageEnvironment', () => {
    const vars = parseDocument('FROM a\nENV LATER=1\n').variables;
    expect(vars.isDeclaredAnywhere('LATER')).toBe(true);
    expect(vars.isDeclaredAnywhere('TARGETARCH')).toBe(true);
    expect(vars.isDeclaredAnywhere('NO_PROXY')).toBe(true);
    expect(vars.isDeclaredAnywhere('NOPE')).toBe(false);
    for (const n of ['PATH', 'HOME', 'JAVA_HOME', 'PYTHON_VERSION', 'LD_LIBRARY_PATH'])
      expect(vars.isImageEnvironment(n)).toBe(true);
    for (const n of ['VERSION', 'DB_PASSWORD', 'APP_DIR'])
      expect(vars.isImageEnvironment(n)).toBe(false);
  });
});

describe('references', () => {
  function refs(text: string) {
    const doc = parseDocument(text);
    return doc.variables.uses.map((u) => ({
      text: doc.slice(u.start, u.end),
      name: u.name,
      braced: u.braced,
      modifier: u.modifier,
      word: u.word,
    }));
  }

  test('$X, ${X} and every ${X<op>word} form, with exact offsets', () => {
    const got = refs(
      'FROM a\nLABEL a=$A b=${B} c=${C:-d e} d=${D-x} e=${E:+y} f=${F+z} g=${G:?m} h=${H?n}\n',
    );
    expect(got).toEqual([
      { text: '$A', name: 'A', braced: false, modifier: null, word: null },
      { text: '${B}', name: 'B', braced: true, modifier: null, word: null },
      { text: '${C:-d e}', name: 'C', braced: true, modifier: ':-', word: 'd e' },
      { text: '${D-x}', name: 'D', braced: true, modifier: '-', word: 'x' },
      { text: '${E:+y}', name: 'E', braced: true, modifier: ':+', word: 'y' },
      { text: '${F+z}', name: 'F', braced: true, modifier: '+', word: 'z' },
      { text: '${G:?m}', name: 'G', braced: true, modifier: ':?', word: 'm' },
      { text: '${H?n}', name: 'H', braced: true, modifier: '?', word: 'n' },
    ]);
  });

  test('a nested default is part of the outer reference', () => {
    expect(refs('FROM a\nENV X=${A:-${B}}\n').map((r) => r.text)).toEqual(['${A:-${B}}']);
  });

  test('escaped \\$, single quotes, $$ and $1 are not references', () => {
    const text =
      "FROM a\nLABEL a=\\$NO1 b='$NO2' c=$YES1\nRUN echo '$NO3' \\$NO4 $$ $1 \"$YES2\"\n";
    expect(refs(text).map((r) => r.name)).toEqual(['YES1', 'YES2']);
  });

  test('a single quote inside double quotes is literal', () => {
    const text = `FROM a\nRUN echo "it's $YES1" '$NO'\nLABEL d="don't $YES2"\n`;
    expect(refs(text).map((r) => r.name)).toEqual(['YES1', 'YES2']);
  });

  test('with # escape=` the backtick escapes; a backslash is literal outside RUN', () => {
    const text = '# escape=`\nFROM a\nLABEL p=C:\\$YES a=`$NO\n';
    expect(refs(text).map((r) => r.name)).toEqual(['YES']);
  });

  test('heredoc bodies are skipped, the heredoc line itself is not', () => {
    const text =
      'FROM a\nCOPY <<EOF /etc/$DEST\nhello $NO1\nEOF\nRUN <<EOT\necho $NO2\nEOT\nLABEL x=$AFTER\n';
    expect(refs(text).map((r) => r.name)).toEqual(['DEST', 'AFTER']);
  });

  test('comment lines inside continuations are skipped (LF and CRLF)', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = ['FROM a', 'RUN echo $A \\', '# $NO', '    && echo $B'].join(eol) + eol;
      expect(refs(text).map((r) => r.name)).toEqual(['A', 'B']);
    }
  });

  test('RUN: shell-assigned names are not uses; exec form, CMD, ENTRYPOINT, ONBUILD not scanned', () => {
    const text = [
      'FROM a',
      'RUN X=1; for F in a b; do echo $F $X $Y; done; read R; echo $R',
      'RUN ["sh", "-c", "echo $NO1"]',
      'CMD echo $NO2',
      'ENTRYPOINT echo $NO3',
      'ONBUILD LABEL x=$NO4',
      'HEALTHCHECK CMD echo $NO5',
    ].join('\n');
    expect(uses(text)).toEqual(['Y:none!']);
  });

  test('RUN: a use before the shell assigns the name itself still counts', () => {
    const text = [
      'FROM a',
      'RUN VERSION=$VERSION ./build.sh && make REV=$REV all',
      'RUN echo $LATER; LATER=1; echo $LATER',
      'RUN export P="$P:/x" && echo $P',
    ].join('\n');
    expect(uses(text)).toEqual(['VERSION:none!', 'REV:none!', 'LATER:none!', 'P:none!']);
  });

  test('flags are scanned too: COPY --chown, RUN --mount', () => {
    const text =
      'ARG UID=1000\nFROM a\nCOPY --chown=$UID:${GID} a b\nRUN --mount=type=cache,target=$CACHE x\n';
    expect(uses(text)).toEqual(['UID:none', 'GID:none', 'CACHE:none!']);
  });

  test('references in FROM flags and image, lowercase keywords', () => {
    expect(
      uses('arg R=docker.io\nfrom --platform=$TARGETPLATFORM ${R}/alpine\nlabel x=$R\n'),
    ).toEqual(['TARGETPLATFORM:automatic', 'R:global-arg', 'R:none']);
  });
});

describe('variables on malformed input', () => {
  test('a RUN of flags only (no arguments range) does not throw (property seed 20261128)', () => {
    const doc = parseDocument(
      '\uFEFF# escape=`\n\nFROM --platform=$BUILDPLATFORM python:3.11-slim AS x0\nRUN --platform=$',
    );
    expect(() => doc.variables).not.toThrow();
    expect(doc.variables.uses.map((u) => u.name)).toEqual(['BUILDPLATFORM']);
  });
});

describe('dollarFinder', () => {
  test('answers like searching each range, for ranges in and out of text order', () => {
    let seed = 9;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    for (let t = 0; t < 300; t++) {
      let text = '';
      const len = Math.floor(next() * 40);
      for (let i = 0; i < len; i++) text += next() < 0.1 ? '$' : 'a';
      const has = dollarFinder(text);
      for (let q = 0; q < 30; q++) {
        const start = Math.floor(next() * (text.length + 1));
        const end = start + Math.floor(next() * (text.length - start + 1));
        expect([text, start, end, has(start, end)]).toEqual([
          text,
          start,
          end,
          text.slice(start, end).includes('$'),
        ]);
      }
    }
  });
});
