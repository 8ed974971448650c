/**
 * Invariants of the copy-pattern transforms (2, 5, 15, 17, 18, 19) over every fixture input and
 * the corpus: no shell-form RUN is added to a shell-less stage, a second run changes nothing,
 * and Dockerfiles that are not Python (Go, Node, static) get no edits from them.
 */
import { describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTransforms } from '../../src/runner.js';
import { parseDocument } from '../../src/model/document.js';
import { isJsonForm } from '../../src/model/variables.js';
import { defaultContext } from '../../src/context.js';
import { allTransforms } from '../../transforms/index.js';
import { listCases, fixtureContext } from '../helpers/fixtures.js';

const MINE = new Set([
  '02-copy-pattern-chown',
  '05-source-markers',
  '15-user-site-markers',
  '17-copy-before-markers',
  '18-critical-comments',
  '19-marker-content',
]);
const mine = allTransforms.filter((t) => MINE.has(t.id));

/** Shell-form RUN texts of shell-less stages. */
function shellRunsInShelllessStages(text: string): string[] {
  const doc = parseDocument(text);
  const out: string[] = [];
  for (const stage of doc.stages.stages) {
    if (!stage.shellless) continue;
    for (const instr of stage.instructions) {
      if (instr.getKeyword() === 'RUN' && !isJsonForm(instr)) {
        const { start, end } = doc.span(instr);
        out.push(text.slice(start, end));
      }
    }
  }
  return out;
}

function corpusInputs(): { name: string; text: string }[] {
  const dir = path.resolve('__fixtures__/corpus');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /dockerfile/i.test(f) && fs.statSync(path.join(dir, f)).isFile())
    .map((f) => ({ name: f, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

describe('copy-pattern invariants', () => {
  const inputs = [
    ...listCases().map((c) => ({
      name: `${c.group}/${c.name}`,
      text: c.input,
      ctx: fixtureContext(c),
    })),
    ...corpusInputs().map((c) => ({ ...c, ctx: defaultContext() })),
  ];

  test('there are inputs', () => expect(inputs.length).toBeGreaterThan(10));

  test('no shell-form RUN is added to a shell-less stage; a second run is a no-op', () => {
    const problems: string[] = [];
    for (const { name, text, ctx } of inputs) {
      const first = runTransforms(text, mine, ctx);
      const before = new Set(shellRunsInShelllessStages(text));
      for (const run of shellRunsInShelllessStages(first.text)) {
        if (!before.has(run)) problems.push(`${name}: added ${JSON.stringify(run)}`);
      }
      const second = runTransforms(first.text, mine, ctx);
      if (second.text !== first.text) problems.push(`${name}: second run changed the text`);
    }
    expect(problems).toEqual([]);
  });

  const notPython: Record<string, string> = {
    go: [
      'FROM --platform=$BUILDPLATFORM golang:1.22 AS build',
      'WORKDIR /src',
      'COPY cmd/ ./cmd/',
      'COPY internal/ ./internal/',
      'COPY main.go ./',
      'COPY util.go ./',
      'RUN go build -o /out/app . && touch /out/.build-marker',
      'FROM --platform=$TARGETPLATFORM gcr.io/distroless/static-debian12:nonroot',
      'COPY --from=build /out/app /app',
      'USER 65532:65532',
      'ENTRYPOINT ["/app"]',
      '',
    ].join('\n'),
    node: [
      'FROM node:20 AS deps',
      'WORKDIR /app',
      'COPY package.json package-lock.json ./',
      'RUN npm ci',
      'COPY src/ ./src/',
      'RUN : > /app/src/.build-marker',
      'FROM gcr.io/distroless/nodejs20-debian12:nonroot',
      'COPY --from=deps /app /app',
      'CMD ["/app/src/index.js"]',
      '',
    ].join('\n'),
    static: [
      'FROM alpine:3.20 AS fetch',
      'RUN wget -O /site.tar.gz https://example.com/site.tar.gz && mkdir /site && tar -xzf /site.tar.gz -C /site',
      'FROM nginx:1.27',
      'COPY --from=fetch /site/ /usr/share/nginx/html/',
      'USER 101',
      '',
    ].join('\n'),
  };
  for (const [kind, text] of Object.entries(notPython)) {
    test(`a ${kind} Dockerfile gets no copy-pattern edit`, () => {
      const r = runTransforms(text, mine, defaultContext());
      expect(r.text).toBe(text);
      expect(r.findings.filter((f) => f.fixed)).toEqual([]);
    });
  }
});
