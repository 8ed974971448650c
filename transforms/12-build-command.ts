/**
 * 12 — The build only works from the right directory with the right flags: context `.` = the
 * build context root, `--file` = the Dockerfile's path from there (the log's correction 12).
 * Write that command as a comment block after the parser directives, and keep it up to date:
 * a block already in the file is updated in place (never duplicated), keeping the values the
 * user gave build args and any extra flags.
 */
import * as path from 'node:path';
import type { Transform, Finding } from '../src/transform.js';
import type { TransformContext } from '../src/context.js';
import { dockerfileFromRoot } from '../src/context.js';
import { parseDocument, type DockerDoc } from '../src/model/document.js';
import { isAutomaticArg, refersToVariables } from '../src/model/variables.js';
import { derivedPrefixParts, lowerKebab } from '../src/model/markers.js';
import {
  commandLineOf,
  findBuildCommandBlock,
  isDateArgName,
  isVcsArgName,
  linesRenderStably,
  readsBackAs,
  renderBlock,
  type BuildCommandBlock,
  type ParsedCommand,
} from '../src/model/build-command.js';
import type * as DiffLibrary from 'diff';
import { insertAt, replaceRange, type Edit } from '../src/edits.js';
import { lazy } from '../src/lazy.js';

/** The diff library, loaded when a block is actually rewritten. */
const diffLibrary = lazy<typeof DiffLibrary>('diff');

/** The final stage's constant `--platform` (a value without variables), or null. */
function pinnedPlatform(doc: DockerDoc): string | null {
  const p = doc.stages.final?.platform?.value.trim();
  return p && !p.includes('$') ? p : null;
}

function unquote(v: string): string {
  return /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v;
}

/**
 * The platform to build: the config; the final stage's constant platform (in this text, or in
 * the text as read before 08 rewrote it); the block's own; an `ARG TARGETPLATFORM=` default.
 * None known: no `--platform` (the builder's own).
 */
function platformFor(doc: DockerDoc, ctx: TransformContext, existing: ParsedCommand | null) {
  if (ctx.config.platform) return ctx.config.platform;
  const here = pinnedPlatform(doc);
  if (here) return here;
  if (ctx.originalText !== undefined && ctx.originalText !== doc.text) {
    const original =
      ctx.originalDoc?.text === ctx.originalText
        ? ctx.originalDoc
        : parseDocument(ctx.originalText, { target: ctx.config.target });
    const before = pinnedPlatform(original);
    if (before) return before;
  }
  if (existing?.platform) return existing.platform;
  const arg = doc.variables.argDefault('TARGETPLATFORM');
  return arg && !arg.includes('$') && !LINE_BREAK.test(arg) ? unquote(arg) : null;
}

/**
 * A value written over several lines (a line continuation in an ARG default): the command is one
 * comment line per option, so such a value is left out rather than broken across comment lines.
 */
const LINE_BREAK = /[\r\n]/;

/**
 * Why a block cannot be rewritten safely, or null. A block that goes on after what was read
 * (dangling, cut) would leave the rest of the old command behind; one with an unclosed quote or
 * `$(` cannot be read at all.
 */
function unreadableBlock(
  block: BuildCommandBlock,
): { why: string; fix: string; atStart: boolean } | null {
  if (block.dangling) {
    return {
      why:
        'ends a line with \\ but the next line does not continue it (an unrelated line in ' +
        'between, a continuation not indented deeper than the command, or the end of the file)',
      fix: 'make it one run of continuation lines',
      atStart: false,
    };
  }
  if (block.cut) {
    return {
      why: 'has a line without a closing \\ followed by more of the command',
      fix: 'end every line but the last with \\',
      atStart: false,
    };
  }
  if (!block.command.balanced) {
    return {
      why: 'has an unclosed quote or $( and cannot be read safely',
      fix: 'correct it',
      atStart: true,
    };
  }
  return null;
}

/** A placeholder image name from the context root, the Dockerfile's folder and its suffix. */
export function derivedImage(ctx: TransformContext): string {
  const parts = derivedPrefixParts(ctx.contextRoot, ctx.dockerfilePath).map(lowerKebab);
  return `${parts.filter(Boolean).join('-') || 'app'}:latest`;
}

function buildArgValue(name: string, value: string | null): string {
  if (isVcsArgName(name)) return `${name}="$(git rev-parse --short HEAD)"`;
  if (isDateArgName(name)) return `${name}="$(date -u +"%Y-%m-%dT%H:%M:%SZ")"`;
  if (value === null) return name; // docker takes the value from the environment
  const v = unquote(value);
  if (/["`\\]/.test(v)) return `${name}=${value}`;
  return `${name}="${v}"`;
}

/** The command for this file, keeping what an existing block already says. */
function commandFor(
  doc: DockerDoc,
  ctx: TransformContext,
  existing: ParsedCommand | null,
): ParsedCommand {
  const file =
    dockerfileFromRoot(ctx) ?? existing?.file ?? path.basename(ctx.dockerfilePath ?? 'Dockerfile');
  const args = [...(existing?.buildArgs ?? [])];
  const globals = doc.variables.declarations.filter((d) => d.stage === null && d.kind === 'arg');
  for (const d of globals) {
    // Only names a shell can pass (`--build-arg NAME=…`); never one the block already has.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(d.name) || isAutomaticArg(d.name)) continue;
    if (args.some((a) => a.name === d.name)) continue;
    if (d.value !== null && LINE_BREAK.test(d.value)) continue;
    // A default that refers to variables is expanded by BuildKit where it is written; passed as
    // a build arg it would arrive as literal text (or be expanded by the shell running it).
    if (
      d.value !== null &&
      !isVcsArgName(d.name) &&
      !isDateArgName(d.name) &&
      refersToVariables(d.value)
    )
      continue;
    args.push({ name: d.name, raw: buildArgValue(d.name, d.value) });
  }
  return {
    program:
      existing && existing.program.join(' ') === 'docker buildx build'
        ? existing.program
        : ['docker', 'buildx', 'build'],
    platform: platformFor(doc, ctx, existing),
    file,
    tag: ctx.config.image ?? existing?.tag ?? derivedImage(ctx),
    push: true,
    buildArgs: args,
    other: existing?.other ?? [],
    context: '.',
    balanced: true,
  };
}

/**
 * Edits replacing only the lines of the block that differ, one per run of changed lines (the
 * `diff` package's array diff over the block's lines), so that each finding points at what changed.
 */
function changedLines(doc: DockerDoc, first: number, last: number, next: string[]): Edit[] {
  const old: string[] = [];
  for (let l = first; l <= last; l++) old.push(doc.lineText(l));
  const eol = doc.style.eol;
  const edits: Edit[] = [];
  let i = 0; // index in old
  let run: { from: number; removed: number; added: string[] } | null = null;
  const flush = () => {
    if (!run) return;
    const { from, removed, added } = run;
    if (removed > 0) {
      const start = doc.lineStarts[first + from];
      const end = doc.lineEnd(first + from + removed - 1);
      if (added.length) edits.push(replaceRange(start, end, added.join(eol)));
      else if (from + removed < old.length)
        edits.push(replaceRange(start, doc.lineStarts[first + from + removed], ''));
      else edits.push(replaceRange(doc.lineEnd(first + from - 1), end, ''));
    } else if (from < old.length) {
      edits.push(insertAt(doc.lineStarts[first + from], added.join(eol) + eol));
    } else {
      edits.push(insertAt(doc.lineEnd(last), eol + added.join(eol)));
    }
    run = null;
  };
  for (const part of diffLibrary().diffArrays(old, next)) {
    const count = part.count ?? part.value.length;
    if (!part.added && !part.removed) {
      flush();
      i += count;
      continue;
    }
    run ??= { from: i, removed: 0, added: [] };
    if (part.removed) {
      run.removed += count;
      i += count;
    } else {
      run.added.push(...part.value);
    }
  }
  flush();
  return edits;
}

/** Whether the block's lines in the file are exactly `lines`, one for one. */
function blockIs(doc: DockerDoc, block: BuildCommandBlock, lines: string[]): boolean {
  if (block.lastLine - block.firstLine + 1 !== lines.length) return false;
  for (let k = 0; k < lines.length; k++) {
    if (doc.lineText(block.firstLine + k) !== lines[k]) return false;
  }
  return true;
}

/**
 * `linesRenderStably(lines)` without parsing the lines again when the block in the file already
 * is them under our header: the block's command was parsed from the same body text (the lines
 * after the header, stripped and joined alike), so it is that parse.
 */
function rendersStablyHere(
  doc: DockerDoc,
  block: BuildCommandBlock | null,
  lines: string[],
): boolean {
  if (block && block.hasHeader && blockIs(doc, block, lines)) {
    return readsBackAs(lines, block.command);
  }
  return linesRenderStably(lines);
}

const transform: Transform = {
  id: '12-build-command',
  number: 12,
  title: 'Add or update a comment block with the correct build command',
  safety: 'safe',
  sources: ['docker buildx build --file/--platform/--build-arg', 'the log, correction 12'],
  detect(doc, ctx) {
    if (!doc.stages.final) return [];
    const block = findBuildCommandBlock(doc);
    const unreadable = block && unreadableBlock(block);
    if (unreadable) {
      return [
        {
          severity: 'warning',
          offset: unreadable.atStart ? block.start : doc.lineStarts[block.lastLine],
          message: `the build-command comment ${unreadable.why}; not updated (${unreadable.fix}, or delete it to get a new one)`,
        },
      ];
    }
    const cmd = commandFor(doc, ctx, block?.command ?? null);
    const rendered = renderBlock(cmd);
    if (!rendersStablyHere(doc, block, rendered)) {
      return [
        {
          severity: 'warning',
          offset: block?.start ?? doc.directivesEnd,
          message:
            'the build command has quoting or escapes dockerfix cannot write back unchanged; ' +
            `not ${block ? 'updated' : 'added'}: ${commandLineOf(rendered)}`,
        },
      ];
    }
    const eol = doc.style.eol;
    const lines = rendered.join(eol);
    const message = `build command (run from the build context root): ${commandLineOf(rendered)}`;
    const finding: Finding = {
      severity: 'info',
      offset: block?.start ?? doc.directivesEnd,
      message,
    };
    if (block) {
      if (doc.slice(block.start, block.end) === lines) return [finding];
      // The first changed run carries the command; later runs are reported where they are.
      const [head, ...rest] = changedLines(doc, block.firstLine, block.lastLine, rendered);
      finding.edits = [head];
      finding.offset = head.start;
      return [
        finding,
        ...rest.map((e) => ({
          severity: 'info' as const,
          offset: e.start,
          message: 'build command block: line updated',
          edits: [e],
        })),
      ];
    }
    // After the parser directives (and the blank line that usually follows them).
    let at = doc.directivesEnd;
    if (at > (doc.style.bom ? 1 : 0)) {
      const line = doc.lineOf(at);
      if (at < doc.text.length && doc.lineText(line).trim() === '') {
        at = line + 1 < doc.lineStarts.length ? doc.lineStarts[line + 1] : doc.text.length;
      }
    }
    const atEnd = at >= doc.text.length;
    const nextBlank = !atEnd && doc.lineText(doc.lineOf(at)).trim() === '';
    const prefix = atEnd && at > 0 && !/[\r\n]$/.test(doc.text) ? eol : '';
    finding.edits = [insertAt(at, `${prefix}${lines}${eol}${nextBlank || atEnd ? '' : eol}`)];
    return [finding];
  },
};

export default transform;
