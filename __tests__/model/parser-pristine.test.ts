/**
 * All of parser-speedups together against a pristine copy of dockerfile-ast (its files and its
 * two dependencies copied to a temporary folder, so Node loads them as separate, unpatched
 * modules): every instruction, argument, flag, heredoc, property, JSON string, comment and
 * directive, with ranges, must come out the same for the fixtures, the corpus and generated
 * files with every character the parser treats apart.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import '../../src/model/document.js';
import { requireFromAst } from '../../src/model/ast.js';
import { dockerfilesUnder, FIXTURES, rng } from '../helpers/dockerfile-texts.js';

type Ast = typeof import('dockerfile-ast');
const PACKAGES = [
  'dockerfile-ast',
  'vscode-languageserver-types',
  'vscode-languageserver-textdocument',
];

let dir: string;
let pristine: Ast;
const patched = requireFromAst('./main') as Ast;

/** The folder of a package as Node resolves it from dockerfile-ast (Node's require, not jest's). */
function packageRoot(name: string): string {
  let p = requireFromAst.resolve(name);
  while (path.basename(p) !== name) p = path.dirname(p);
  return p;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfix-pristine-'));
  for (const name of PACKAGES) {
    fs.cpSync(packageRoot(name), path.join(dir, 'node_modules', name), { recursive: true });
  }
  // An absolute path: Node loads the copy, which requires its dependencies from beside it.
  pristine = requireFromAst(path.join(dir, 'node_modules', 'dockerfile-ast')) as Ast;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Everything a parse exposes that dockerfix reads, as JSON. */
function snapshot(ast: Ast, text: string): string {
  const doc = ast.DockerfileParser.parse(text);
  const optional = <T>(x: object, name: string, f: (v: never) => T): T[] | null => {
    const fn = (x as Record<string, unknown>)[name];
    return typeof fn === 'function' ? (fn.call(x) as never[]).map(f) : null;
  };
  return JSON.stringify({
    instructions: doc
      .getInstructions()
      .map((i) => [
        i.getKeyword(),
        i.getRange(),
        i.getInstructionRange(),
        i.getArguments().map((a) => [a.getValue(), a.getRange()]),
        i.getRawArgumentsContent(),
        i.getArgumentsContent(),
        optional(
          i,
          'getFlags',
          (f: { getName(): string; getValue(): string | null; getRange(): unknown }) => [
            f.getName(),
            f.getValue(),
            f.getRange(),
          ],
        ),
        optional(
          i,
          'getHeredocs',
          (h: {
            getName(): string;
            getStartRange(): unknown;
            getNameRange(): unknown;
            getContentRange(): unknown;
            getDelimiterRange(): unknown;
          }) => [
            h.getName(),
            h.getStartRange(),
            h.getNameRange(),
            h.getContentRange(),
            h.getDelimiterRange(),
          ],
        ),
        optional(
          i,
          'getProperties',
          (p: { getName(): string; getValue(): string | null; getRange(): unknown }) => [
            p.getName(),
            p.getValue(),
            p.getRange(),
          ],
        ),
        optional(i, 'getJSONStrings', (j: { getValue(): string; getRange(): unknown }) => [
          j.getValue(),
          j.getRange(),
        ]),
      ]),
    comments: doc.getComments().map((c) => [c.getRange(), c.getContent()]),
    directives: doc.getDirectives().map((d) => [d.getName(), d.getValue(), d.getRange()]),
    escape: doc.getEscapeCharacter(),
  });
}

function generated(count: number): string[] {
  const next = rng(99);
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
  const pieces = [
    ' ',
    '\t',
    'a',
    'b1',
    '$X',
    '${Y:-z}',
    '"q r"',
    "'s'",
    '#',
    '# c',
    '\\',
    '`',
    '\n',
    '\r\n',
    '\r',
    '[',
    ']',
    '","',
    '["a", "b"]',
    '<<EOF',
    '<<-EOF',
    '\nEOF\n',
    '--from=x',
    '--mount=type=cache,target=/r',
    '=',
    'k=v',
    '\\\n',
    '`\n',
    '\\\r\n',
    ' \\ \n',
    '\n# x\n',
    '\u00a0',
    'é',
  ];
  const heads = ['', '# escape=`\n', '# escape=\\\n', '# syntax=docker/dockerfile:1\n', '\ufeff'];
  const keywords = [
    'FROM',
    'RUN',
    'run',
    'COPY',
    'ADD',
    'ENV',
    'ARG',
    'LABEL',
    'CMD',
    'ENTRYPOINT',
    'USER',
    'WORKDIR',
    'EXPOSE',
    'HEALTHCHECK',
    'ONBUILD RUN',
    'SHELL',
    'VOLUME',
  ];
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    let text = `${pick(heads)}FROM a\n`;
    const n = 1 + Math.floor(next() * 6);
    for (let i = 0; i < n; i++) {
      text += pick(keywords);
      const m = Math.floor(next() * 10);
      for (let j = 0; j < m; j++) text += pick(pieces);
      text += pick(['\n', '\r\n', '', '\n\n']);
    }
    out.push(text);
  }
  return out;
}

describe('parser-speedups against a pristine dockerfile-ast', () => {
  test('the two copies are different modules, and only ours is patched', () => {
    expect(pristine).not.toBe(patched);
    const flag = (ast: Ast) =>
      (ast.Instruction.prototype as unknown as { dockerfixMemoised?: boolean }).dockerfixMemoised;
    expect(flag(patched)).toBe(true);
    expect(flag(pristine)).toBeUndefined();
  });

  test('same parse of the fixtures, the corpus and 3,000 generated files', () => {
    const texts = [
      ...dockerfilesUnder(FIXTURES).map((f) => fs.readFileSync(f, 'utf8')),
      ...generated(3000),
    ];
    const differing = texts.filter((t) => snapshot(patched, t) !== snapshot(pristine, t));
    expect(differing).toEqual([]);
    expect(texts.length).toBeGreaterThan(3200);
  });
});
