/**
 * Git-style unified diff of original → fixed text (`--- a/<path>`, `+++ b/<path>`, 3 lines of
 * context). Empty string when nothing changed. A pathological rewrite that the diff algorithm
 * cannot finish within the time budget falls back to one whole-file hunk.
 */
import type * as DiffLibrary from 'diff';
import { lazy } from './lazy.js';

const diffLibrary = lazy<typeof DiffLibrary>('diff');

export interface DiffOptions {
  context?: number;
  /** Milliseconds before falling back to a whole-file hunk. */
  timeout?: number;
}

export function unifiedDiff(
  displayPath: string,
  before: string,
  after: string,
  options: DiffOptions = {},
): string {
  if (before === after) return '';
  const context = options.context ?? 3;
  const { createTwoFilesPatch, FILE_HEADERS_ONLY } = diffLibrary();
  const patch = createTwoFilesPatch(
    `a/${displayPath}`,
    `b/${displayPath}`,
    before,
    after,
    undefined,
    undefined,
    {
      context,
      headerOptions: FILE_HEADERS_ONLY,
      timeout: options.timeout ?? 5000,
    },
  );
  return patch ?? wholeFileDiff(displayPath, before, after);
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function wholeFileDiff(displayPath: string, before: string, after: string): string {
  const oldLines = splitLines(before);
  const newLines = splitLines(after);
  const out = [
    `--- a/${displayPath}`,
    `+++ b/${displayPath}`,
    `@@ -1,${oldLines.length} +1,${newLines.length} @@`,
  ];
  oldLines.forEach((l, i) => {
    out.push(`-${l}`);
    if (i === oldLines.length - 1 && !before.endsWith('\n'))
      out.push('\\ No newline at end of file');
  });
  newLines.forEach((l, i) => {
    out.push(`+${l}`);
    if (i === newLines.length - 1 && !after.endsWith('\n'))
      out.push('\\ No newline at end of file');
  });
  return out.join('\n') + '\n';
}
