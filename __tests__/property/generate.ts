/**
 * fast-check arbitraries for the property suite:
 * - `dockerfileArb`: random but valid multi-stage Dockerfiles, written in a random style (LF or
 *   CRLF, upper or lower keywords, backslash or backtick escape, BOM, directives), built from the
 *   pieces real files are made of (Python/Go/Node stages, --from copies, --platform, ARG scope,
 *   heredocs, JSON and shell forms), so the transforms have something to fix;
 * - `mutatedArb(seeds)`: a valid file corrupted by a few random mutations (deleted ranges,
 *   inserted escape characters, quotes, brackets, heredoc markers, line breaks, swapped or
 *   indented lines, truncation).
 * fast-check shrinks a failing case to a minimal structure and prints its seed.
 */
import fc from 'fast-check';

export interface Style {
  eol: '\n' | '\r\n';
  lower: boolean;
  escape: '\\' | '`';
  bom: boolean;
  syntax: boolean;
  indent: string;
}

type Piece = (s: Style, ctx: StageCtx) => string;

interface StageCtx {
  /** Names (or indexes) of earlier stages, for --from and FROM <stage>. */
  earlier: string[];
}

const styleArb: fc.Arbitrary<Style> = fc.record({
  eol: fc.constantFrom<Style['eol']>('\n', '\n', '\r\n'),
  lower: fc.boolean(),
  escape: fc.constantFrom<Style['escape']>('\\', '\\', '`'),
  bom: fc.boolean(),
  syntax: fc.boolean(),
  indent: fc.constantFrom('    ', '  ', '\t', '      '),
});

const kw = (s: Style, word: string) => (s.lower ? word.toLowerCase() : word);
/** Join continuation lines with the style's escape and indentation. */
const cont = (s: Style, parts: string[]) => parts.join(` ${s.escape}${s.eol}${s.indent}`);

const VAR_NAMES = [
  'VERSION',
  'VCS_REF',
  'APP_VERSION',
  'TARGETARCH',
  'TARGETPLATFORM',
  'BUILDPLATFORM',
  'DB_PASSWORD',
  'API_TOKEN',
  'PORT',
  'HOME',
  'PYTHON_VERSION',
  'RELEASE',
  'ÄNDERUNG',
];
const varRefArb = fc
  .tuple(
    fc.constantFrom(...VAR_NAMES),
    fc.constantFrom('$X', '${X}', '${X:-d}', '${X:+set}', '${X-x}'),
  )
  .map(([name, form]) => form.replace('X', name));
const wordArb = fc.constantFrom(
  'app',
  'src',
  'controller',
  'requirements.txt',
  'go.mod',
  'package.json',
  '.',
  'main.py',
  'data files',
  'über',
  '🐳',
);
const imageArb = fc.constantFrom(
  'python:3.11-slim',
  'python:3.12',
  'gcr.io/distroless/python3-debian12',
  'gcr.io/distroless/python3-debian12:nonroot',
  'gcr.io/distroless/static-debian12:nonroot',
  'golang:1.22-alpine',
  'node:20-alpine',
  'alpine:3.20',
  'scratch',
  'cgr.dev/chainguard/python:latest',
  '${BASE_IMAGE}',
  'python:${PYTHON_VERSION}-slim',
);
const platformArb = fc.constantFrom(
  '',
  '',
  '--platform=$TARGETPLATFORM ',
  '--platform=${TARGETPLATFORM} ',
  '--platform=$BUILDPLATFORM ',
  '--platform=linux/amd64 ',
  '--platform=linux/arm64 ',
);
const stageNameArb = fc.constantFrom('builder', 'build', 'deps', 'Builder', 'runtime', 'base', 'x');

function pick<T>(items: T[], i: number): T {
  return items[i % items.length];
}

/** One body instruction: the arbitrary yields a function of style and stage context. */
const pieceArb: fc.Arbitrary<Piece> = fc.oneof(
  fc.tuple(wordArb, fc.constantFrom('/app', '/build/', './', 'C:\\app')).map(
    ([src, dst]): Piece =>
      (s) =>
        `${kw(s, 'COPY')} ${src.includes(' ') ? JSON.stringify([src, dst]) : `${src} ${dst}`}`,
  ),
  fc
    .tuple(
      fc.nat(),
      fc.constantFrom('/root/.local', '/build/app', '/out/server', '/app/dist', '/src/controller'),
      fc.constantFrom('', '--chown=65532:65532 ', '--link ', '--chmod=755 '),
      fc.boolean(),
    )
    .map(([i, src, flags, json]): Piece => (s, c) => {
      if (c.earlier.length === 0) return `${kw(s, 'COPY')} ${src} ${src}`;
      const from = `--from=${pick(c.earlier, i)}`;
      return json
        ? `${kw(s, 'COPY')} ${from} ${flags}${JSON.stringify([src, src])}`
        : `${kw(s, 'COPY')} ${flags}${from} ${src} ${src}`;
    }),
  fc
    .constantFrom(
      'pip install --user --no-cache-dir -r requirements.txt',
      'pip install --target=/deps -r requirements.txt',
      'apt-get update && apt-get install -y curl',
      'go build -o /out/server ./cmd/server',
      'npm ci --omit=dev',
      'python -m compileall app',
      'touch /build/app/.marker',
      'python -c "import grpcio; import yaml"',
      'git rev-parse HEAD > /rev',
      "echo 'single $QUOTED'",
    )
    .map(
      (cmd): Piece =>
        (s) =>
          `${kw(s, 'RUN')} ${cmd}`,
    ),
  fc
    .array(fc.constantFrom('set -eux', 'apk add git', 'echo $HOME', '# inner comment', ''), {
      minLength: 2,
      maxLength: 4,
    })
    .map(
      (parts): Piece =>
        (s) =>
          `${kw(s, 'RUN')} ${cont(
            s,
            parts.map((p) => p || 'true'),
          )}`,
    ),
  fc
    .tuple(fc.constantFrom('EOF', 'EOT', '"EOF"', "'EOF'", '-EOF'), fc.boolean())
    .map(([delim, copy]): Piece => {
      const name = delim.replace(/^-/, '').replace(/['"]/g, '');
      const tab = delim.startsWith('-') ? '\t' : '';
      return (s) =>
        (copy ? `${kw(s, 'COPY')} <<${delim} /etc/conf` : `${kw(s, 'RUN')} <<${delim}`) +
        `${s.eol}${tab}echo $VERSION${s.eol}${tab}${name}`;
    }),
  fc
    .constantFrom(
      '--mount=type=cache,target=/root/.cache',
      '--mount=type=secret,id=tok',
      '--network=none',
    )
    .map((flag): Piece => (s, c) => {
      const from = c.earlier.length ? `,from=${c.earlier[0]}` : '';
      const mount = flag.startsWith('--mount=type=cache') ? flag + from : flag;
      return `${kw(s, 'RUN')} ${mount} make`;
    }),
  fc
    .tuple(fc.constantFrom('APP', 'PYTHONPATH', 'PATH', 'DB_PASSWORD'), varRefArb, fc.boolean())
    .map(
      ([k, v, legacy]): Piece =>
        (s) =>
          legacy ? `${kw(s, 'ENV')} ${k} ${v}` : `${kw(s, 'ENV')} ${k}=${v}`,
    ),
  fc.tuple(fc.constantFrom(...VAR_NAMES), fc.option(fc.constantFrom('1.0.0', 'x', '""'))).map(
    ([k, d]): Piece =>
      (s) =>
        `${kw(s, 'ARG')} ${k}${d === null ? '' : `=${d}`}`,
  ),
  fc.array(varRefArb, { minLength: 1, maxLength: 3 }).map(
    (refs): Piece =>
      (s) =>
        `${kw(s, 'LABEL')} ${cont(
          s,
          refs.map((r, i) => `l${i}=${r}`),
        )}`,
  ),
  fc.constantFrom('/app', '/build', '$HOME/app', 'C:\\app').map(
    (d): Piece =>
      (s) =>
        `${kw(s, 'WORKDIR')} ${d}`,
  ),
  fc.constantFrom('65532:65532', 'nonroot', 'app', '${UID}').map(
    (u): Piece =>
      (s) =>
        `${kw(s, 'USER')} ${u}`,
  ),
  fc
    .constantFrom(
      '["python3", "-m", "app.main"]',
      '["uvicorn", "app.main:app"]',
      'python app/main.py',
      '["/server"]',
      '["node", "dist/server.js"]',
    )
    .chain((cmd) =>
      fc.constantFrom('ENTRYPOINT', 'CMD').map(
        (k): Piece =>
          (s) =>
            `${kw(s, k)} ${cmd}`,
      ),
    ),
  fc.constantFrom('# a comment', '#', '# CRITICAL: keep', '').map(
    (c): Piece =>
      () =>
        c,
  ),
  fc
    .constantFrom(
      'EXPOSE 8080',
      'HEALTHCHECK NONE',
      'STOPSIGNAL SIGTERM',
      'ONBUILD RUN make',
      'SHELL ["/bin/sh", "-c"]',
      'VOLUME ["/data"]',
    )
    .map(
      (line): Piece =>
        (s) =>
          s.lower ? line.replace(/^\w+/, (k) => k.toLowerCase()) : line,
    ),
);

const stageArb = fc.record({
  name: fc.option(stageNameArb, { freq: 2 }),
  image: imageArb,
  fromEarlier: fc.option(fc.nat(), { freq: 4 }),
  platform: platformArb,
  body: fc.array(pieceArb, { maxLength: 8 }),
});

const globalArgArb = fc.tuple(
  fc.constantFrom('VERSION', 'PYTHON_VERSION', 'BASE_IMAGE', 'VCS_REF', 'TARGETPLATFORM'),
  fc.option(fc.constantFrom('1.0.0', '3.11', 'alpine:3.20')),
);

export const dockerfileArb: fc.Arbitrary<string> = fc
  .record({
    style: styleArb,
    globals: fc.array(globalArgArb, { maxLength: 3 }),
    stages: fc.array(stageArb, { minLength: 1, maxLength: 5 }),
    finalNewline: fc.boolean(),
  })
  .map(({ style: s, globals, stages, finalNewline }) => {
    const lines: string[] = [];
    if (s.syntax) lines.push('# syntax=docker/dockerfile:1');
    if (s.escape === '`') lines.push('# escape=`');
    // Variables used in FROM need a global default, or the file would not be valid.
    const needed = new Map([
      ['BASE_IMAGE', 'alpine:3.20'],
      ['PYTHON_VERSION', '3.11'],
    ]);
    for (const [name, d] of globals) {
      if (needed.has(name)) continue;
      lines.push(`${kw(s, 'ARG')} ${name}${d ? `=${d}` : ''}`);
    }
    for (const [name, d] of needed) {
      if (stages.some((st) => st.image.includes(name))) lines.push(`${kw(s, 'ARG')} ${name}=${d}`);
    }
    const names: string[] = [];
    stages.forEach((st, i) => {
      // Stages get unique names so --from references stay unambiguous.
      const name = st.name ? `${st.name}${i}` : null;
      const earlierName =
        st.fromEarlier !== null && names.length ? pick(names, st.fromEarlier) : null;
      const image = earlierName ?? st.image;
      lines.push('');
      lines.push(`${kw(s, 'FROM')} ${st.platform}${image}${name ? ` ${kw(s, 'AS')} ${name}` : ''}`);
      const ctx: StageCtx = { earlier: names.length ? [...names] : [] };
      for (const piece of st.body) lines.push(piece(s, ctx));
      names.push(name ?? String(i));
    });
    const text = (s.bom ? '\uFEFF' : '') + lines.join(s.eol);
    return finalNewline ? text + s.eol : text;
  });

/** One mutation of a text; positions are taken modulo the length. */
type Mutation =
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'insert'; at: number; what: string }
  | { kind: 'duplicate-line' | 'indent-line' | 'drop-line' | 'upper-line'; line: number }
  | { kind: 'swap-lines'; line: number; other: number }
  | { kind: 'truncate'; at: number };

const INSERTS = [
  '\\',
  '\\\n',
  '`',
  '`\n',
  '\n',
  '\r\n',
  '\r',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  '$',
  '${',
  ':-',
  '<<EOF\n',
  '<<-EOF\n',
  '\nEOF\n',
  '# ',
  '#',
  '\t',
  ' ',
  '--from=',
  '--platform=$TARGETPLATFORM ',
  '--chown=',
  '\nFROM ',
  '\nFROM x AS y\n',
  '\nARG X\n',
  '\n  RUN x\n',
  '\n\tFROM a\n',
  'AS ',
  '=',
  '\uFEFF',
  '😀',
  '\u0000',
  '\u00e9',
  '\ud83d', // a lone surrogate
];

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.nat(),
    len: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    what: fc.constantFrom(...INSERTS),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    what: fc.string({ unit: 'binary', maxLength: 3 }),
  }),
  fc.record({
    kind: fc.constantFrom(
      'duplicate-line' as const,
      'indent-line' as const,
      'drop-line' as const,
      'upper-line' as const,
    ),
    line: fc.nat(),
  }),
  fc.record({ kind: fc.constant('swap-lines' as const), line: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

export function applyMutation(text: string, m: Mutation): string {
  const n = text.length;
  switch (m.kind) {
    case 'delete': {
      const at = n ? m.at % n : 0;
      return text.slice(0, at) + text.slice(at + m.len);
    }
    case 'insert': {
      const at = m.at % (n + 1);
      return text.slice(0, at) + m.what + text.slice(at);
    }
    case 'truncate':
      return text.slice(0, n ? m.at % n : 0);
    default: {
      const lines = text.split('\n');
      const i = m.line % lines.length;
      if (m.kind === 'duplicate-line') lines.splice(i, 0, lines[i]);
      if (m.kind === 'indent-line') lines[i] = '\t' + lines[i];
      if (m.kind === 'drop-line') lines.splice(i, 1);
      if (m.kind === 'upper-line') lines[i] = lines[i].toUpperCase();
      if (m.kind === 'swap-lines') {
        const j = m.other % lines.length;
        [lines[i], lines[j]] = [lines[j], lines[i]];
      }
      return lines.join('\n');
    }
  }
}

/** A seed text (from `seeds` or freshly generated) corrupted by 1 to 4 mutations. */
export function mutatedArb(seeds: string[]): fc.Arbitrary<string> {
  const base = seeds.length ? fc.oneof(fc.constantFrom(...seeds), dockerfileArb) : dockerfileArb;
  return fc
    .tuple(base, fc.array(mutationArb, { minLength: 1, maxLength: 4 }))
    .map(([text, ms]) => ms.reduce(applyMutation, text));
}
