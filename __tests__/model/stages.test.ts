/** Stages and their roles from the FROM / --from graph. */
import { describe, expect, test } from '@jest/globals';
import { parseDocument } from '../../src/model/document.js';
import { isShelllessImage, stageLabel } from '../../src/model/stages.js';

function roles(text: string, target?: string): Record<string, string> {
  const doc = parseDocument(text, { target });
  return Object.fromEntries(doc.stages.stages.map((s) => [s.name ?? String(s.index), s.role]));
}

describe('stages', () => {
  test('each FROM opens a stage with index, name, image and platform', () => {
    const text =
      'ARG PY=3.12\nFROM --platform=$BUILDPLATFORM python:${PY}-slim AS Build\nRUN x\n\nFROM scratch\nCOPY --from=build /a /a\n';
    const doc = parseDocument(text);
    const [build, final] = doc.stages.stages;
    expect(doc.stages.globalArgs.map((a) => a.getKeyword())).toEqual(['ARG']);
    expect(build.index).toBe(0);
    expect(build.name).toBe('Build');
    expect(build.image).toBe('python:${PY}-slim');
    expect(build.platform?.value).toBe('$BUILDPLATFORM');
    expect(text.slice(build.platform!.start, build.platform!.end)).toBe(
      '--platform=$BUILDPLATFORM',
    );
    expect(text.slice(build.platform!.valueStart, build.platform!.valueEnd)).toBe('$BUILDPLATFORM');
    expect(build.instructions.map((i) => i.getKeyword())).toEqual(['FROM', 'RUN']);
    expect(text.slice(build.start, build.end)).toBe(
      'FROM --platform=$BUILDPLATFORM python:${PY}-slim AS Build\nRUN x',
    );
    expect(final.name).toBeNull();
    expect(final.platform).toBeNull();
    expect(doc.stages.final).toBe(final);
    expect(doc.stages.stageOf(final.instructions[1])).toBe(final);
    expect(doc.stages.stageOf(doc.stages.globalArgs[0])).toBeNull();
    expect(stageLabel(build)).toBe('"Build"');
    expect(stageLabel(final)).toBe('#1 (scratch)');
  });

  test('base vs builder vs unused', () => {
    const text = [
      'FROM golang:1.22 AS compile',
      'FROM python:3.12 AS base',
      'FROM node:20 AS docs',
      'FROM base AS app',
      'COPY --from=compile /out /out',
    ].join('\n');
    expect(roles(text)).toEqual({
      compile: 'builder',
      base: 'base',
      docs: 'unused',
      app: 'final',
    });
  });

  test('stage names compare case-insensitively; numeric --from=0 names the first stage', () => {
    const text = [
      'FROM alpine AS Fetch',
      'FROM alpine AS other',
      'FROM alpine',
      'COPY --from=FETCH /a /a',
      'COPY --from=1 /b /b',
    ].join('\n');
    expect(roles(text)).toEqual({ Fetch: 'builder', other: 'builder', '2': 'final' });
    const doc = parseDocument(text);
    expect(doc.stages.resolve('fetch')?.index).toBe(0);
    expect(doc.stages.resolve('0')?.name).toBe('Fetch');
    expect(doc.stages.resolve('7')).toBeNull();
  });

  test('--from with other flags (getFromFlag is null then) and RUN --mount=from=', () => {
    const text = [
      'FROM alpine AS certs',
      'FROM alpine AS cache',
      'FROM alpine',
      'COPY --chown=1:1 --link --from=certs /etc/ssl /etc/ssl',
      'RUN --mount=type=bind,from=cache,source=/x,target=/x cp -r /x /y',
    ].join('\n');
    expect(roles(text)).toEqual({ certs: 'builder', cache: 'builder', '2': 'final' });
  });

  test('transitively: a builder of a builder, and the stage a builder is built FROM', () => {
    const text = [
      'FROM alpine AS src',
      'FROM golang AS gobase',
      'FROM gobase AS compile',
      'COPY --from=src /s /s',
      'FROM scratch',
      'COPY --from=compile /app /app',
    ].join('\n');
    expect(roles(text)).toEqual({
      src: 'builder',
      gobase: 'builder',
      compile: 'builder',
      '3': 'final',
    });
  });

  test('--from naming an image, or a later stage, is not a stage reference', () => {
    const text = [
      'FROM alpine AS one',
      'COPY --from=two /x /x',
      'FROM alpine AS two',
      'COPY --from=nginx:latest /etc/nginx /etc/nginx',
    ].join('\n');
    const doc = parseDocument(text);
    expect(doc.stages.stages[0].copiesFrom[0].stage).toBeNull();
    expect(doc.stages.stages[1].copiesFrom[0]).toMatchObject({
      value: 'nginx:latest',
      stage: null,
    });
    expect(roles(text)).toEqual({ one: 'unused', two: 'final' });
  });

  test('--target makes an earlier stage final; later stages are unused', () => {
    const text = [
      'FROM alpine AS deps',
      'FROM alpine AS test',
      'COPY --from=deps /d /d',
      'FROM alpine AS prod',
      'COPY --from=deps /d /d',
    ].join('\n');
    expect(roles(text, 'test')).toEqual({ deps: 'builder', test: 'final', prod: 'unused' });
    expect(roles(text, 'TEST')).toEqual({ deps: 'builder', test: 'final', prod: 'unused' });
    expect(roles(text, '1')).toEqual({ deps: 'builder', test: 'final', prod: 'unused' });
    // An unknown target keeps the last stage as final.
    expect(roles(text, 'nope')).toMatchObject({ prod: 'final' });
  });

  test('lowercase keywords and CRLF', () => {
    const text = 'from alpine as b\r\nfrom scratch\r\ncopy --from=B /x /x\r\n';
    expect(roles(text)).toEqual({ b: 'builder', '1': 'final' });
  });

  test('shell-less: distroless, chainguard without -dev, scratch, and stages built on them', () => {
    expect(isShelllessImage('gcr.io/distroless/python3-debian12')).toBe(true);
    expect(isShelllessImage('gcr.io/distroless/python3-debian12:debug')).toBe(false);
    expect(isShelllessImage('cgr.dev/chainguard/python:latest')).toBe(true);
    expect(isShelllessImage('cgr.dev/chainguard/python:latest-dev')).toBe(false);
    expect(isShelllessImage('scratch')).toBe(true);
    expect(isShelllessImage('python:3.12-slim')).toBe(false);
    const doc = parseDocument('FROM gcr.io/distroless/static AS base\nFROM base\n');
    expect(doc.stages.stages.map((s) => s.shellless)).toEqual([true, true]);
  });

  test('no FROM at all: no stages, no final stage', () => {
    const doc = parseDocument('ARG X=1\n# just a comment\n');
    expect(doc.stages.stages).toEqual([]);
    expect(doc.stages.final).toBeNull();
  });
});
