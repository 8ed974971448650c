/**
 * Build invocations in shell text (scripts, Makefile recipes, workflow `run:` blocks):
 * `docker build`, `docker buildx build`, `docker image build`, `buildah bud|build`,
 * `podman build`, with their `-f/--file` value, their context argument and the `cd` that runs
 * before them — each as exact offsets so a fix is a small edit of one word.
 */

export interface Word {
  /** The word as the shell sees it (quotes removed). */
  value: string;
  start: number;
  end: number;
  /** Contains an expansion (`$x`, `$(…)`, backticks, Make's `$(X)`): its value is unknown here. */
  dynamic: boolean;
}

export interface Invocation {
  /** Offset of the command word (`docker`, `buildah`, `podman`). */
  start: number;
  /** End of the command (before `&&`, `;`, a newline …). */
  end: number;
  tool: string;
  file: Word | null;
  /** The context argument, or null when none could be told apart. */
  context: Word | null;
  /** The word `-f` itself when the value is a separate word (for inserting before the context). */
  words: Word[];
  /** Options the reader could not place (an unknown option with a value is ambiguous). */
  uncertain: boolean;
}

const COMMAND =
  /(?<![\w./-])(docker(?:[ \t]+buildx)?(?:[ \t]+image)?[ \t]+build|buildah[ \t]+(?:bud|build(?:-using-dockerfile)?)|podman[ \t]+(?:image[ \t]+)?build)(?![\w-])/g;

/** Options of docker/buildx/buildah build that take a value (the rest are booleans). */
const WITH_VALUE = new Set([
  '--add-host',
  '--allow',
  '--annotation',
  '--attest',
  '--build-arg',
  '--build-context',
  '--builder',
  '--cache-from',
  '--cache-to',
  '--call',
  '--cgroup-parent',
  '--cpu-period',
  '--cpu-quota',
  '--cpu-shares',
  '--cpuset-cpus',
  '--cpuset-mems',
  '--creds',
  '--format',
  '--iidfile',
  '--isolation',
  '--jobs',
  '--label',
  '--memory',
  '--memory-swap',
  '--metadata-file',
  '--network',
  '--os',
  '--arch',
  '--output',
  '--platform',
  '--progress',
  '--provenance',
  '--sbom',
  '--secret',
  '--security-opt',
  '--shm-size',
  '--ssh',
  '--tag',
  '--target',
  '--ulimit',
  '--userns',
  '--volume',
  '--authfile',
  '--cert-dir',
  '--signature-policy',
  '--timestamp',
  '-o',
  '-t',
  '-m',
  '-v',
]);

/** Shell operators that end a simple command. */
const END = /^(&&|\|\||;;|;|\||&|\)|\r\n|\r|\n)/;

/**
 * Read one shell word at `i`: quotes joined, backslash-newline skipped. Returns null at an
 * operator, a comment or the end.
 */
function readWord(text: string, i: number, end: number): { word: Word; next: number } | null {
  if (i >= end || END.test(text.slice(i, i + 2)) || text[i] === '#') return null;
  const start = i;
  let value = '';
  let dynamic = false;
  while (i < end) {
    const ch = text[i];
    if (/[ \t]/.test(ch) || END.test(text.slice(i, i + 2))) break;
    if (ch === '\\') {
      const nl = /^\\(\r\n|\r|\n)/.exec(text.slice(i, i + 3));
      if (nl) break; // a continuation ends the word
      value += text[i + 1] ?? '';
      i += 2;
    } else if (ch === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0 || close >= end) return null;
      value += text.slice(i + 1, close);
      i = close + 1;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < end && text[j] !== '"') {
        if (text[j] === '\\') j++;
        else if (text[j] === '$' || text[j] === '`') dynamic = true;
        j++;
      }
      if (j >= end) return null;
      value += text.slice(i + 1, j).replace(/\\(["\\$`])/g, '$1');
      i = j + 1;
    } else if (ch === '$' && (text[i + 1] === '(' || text[i + 1] === '{')) {
      // $(…) / ${…} (and Make's $(X)): skip to the matching bracket, nested ones included.
      const open = text[i + 1];
      const close = open === '(' ? ')' : '}';
      let depth = 0;
      let j = i + 1;
      for (; j < end; j++) {
        if (text[j] === open) depth++;
        else if (text[j] === close && --depth === 0) break;
      }
      if (j >= end) return null;
      value += text.slice(i, j + 1);
      dynamic = true;
      i = j + 1;
    } else {
      if (ch === '$' || ch === '`' || ch === '*' || ch === '?' || ch === '~' || ch === '{')
        dynamic = true;
      value += ch;
      i++;
    }
  }
  return { word: { value, start, end: i, dynamic }, next: i };
}

/** Skip blanks and backslash-newline continuations (with the next line's indentation). */
function skipBlanks(text: string, i: number, end: number): number {
  while (i < end) {
    if (text[i] === ' ' || text[i] === '\t') i++;
    else {
      const nl = /^\\(\r\n|\r|\n)/.exec(text.slice(i, i + 3));
      if (!nl) break;
      i += nl[0].length;
    }
  }
  return i;
}

/** The words of the simple command starting at `i`, and where it ends. */
export function readCommand(
  text: string,
  i: number,
  end = text.length,
): { words: Word[]; end: number } {
  const words: Word[] = [];
  let pos = skipBlanks(text, i, end);
  for (;;) {
    const w = readWord(text, pos, end);
    if (!w) break;
    words.push(w.word);
    pos = skipBlanks(text, w.next, end);
  }
  return { words, end: pos };
}

/** Every build invocation in `text[from, to)`. */
export function findInvocations(text: string, from = 0, to = text.length): Invocation[] {
  const out: Invocation[] = [];
  COMMAND.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = COMMAND.exec(text)) !== null && m.index < to) {
    if (isCommented(text, m.index)) continue;
    const { words, end } = readCommand(text, m.index + m[0].length, to);
    let file: Word | null = null;
    let context: Word | null = null;
    let uncertain = false;
    for (let k = 0; k < words.length; k++) {
      const w = words[k];
      const v = w.value;
      if (v === '-f' || v === '--file') {
        file = words[k + 1] ?? null;
        k++;
      } else if (/^(-f|--file=)/.test(v) && v !== '-f') {
        const prefix = v.startsWith('--file=') ? 7 : 2;
        const raw = text.slice(w.start, w.end);
        const rawPrefix = raw.startsWith('--file=') ? 7 : 2;
        file = {
          value: v.slice(prefix),
          start: w.start + rawPrefix,
          end: w.end,
          dynamic: w.dynamic,
        };
      } else if (v.startsWith('--') && v.includes('=')) {
        continue;
      } else if (WITH_VALUE.has(v)) {
        k++;
      } else if (v.startsWith('-') && v !== '-') {
        // A boolean flag, or a short flag with its value attached (-tname): no value word.
        if (/^-[a-z]$/i.test(v) && !['-q'].includes(v)) uncertain = true;
      } else if (context === null) {
        context = w;
      } else {
        uncertain = true; // two positional words: not a plain `build [opts] CONTEXT`
      }
    }
    out.push({
      start: m.index,
      end,
      tool: m[1].replace(/\s+/g, ' '),
      file,
      context,
      words,
      uncertain,
    });
  }
  return out;
}

/** Whether the offset is inside a `#` comment of its line. */
function isCommented(text: string, offset: number): boolean {
  const lineStart =
    Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  const before = text.slice(lineStart, offset);
  return /(^|[ \t])#/.test(before.replace(/'[^']*'|"[^"]*"/g, ''));
}

/**
 * `cd` commands that run before the invocation in the same command list (`cd x && docker …`),
 * and, when `carry` is set (a script, a `run:` block), earlier top-level `cd` lines.
 * Returns the words in order; a dynamic word makes the working directory unknown.
 */
export function cdsBefore(text: string, from: number, offset: number, carry: boolean): Word[] {
  const out: Word[] = [];
  const CD = /(?<![\w./-])cd[ \t]+/g;
  CD.lastIndex = from;
  let m: RegExpExecArray | null;
  const lineStart = logicalLineStart(text, offset);
  while ((m = CD.exec(text)) !== null && m.index < offset) {
    if (isCommented(text, m.index)) continue;
    if (!carry && m.index < lineStart) continue;
    const { words } = readCommand(text, m.index + 2, offset);
    if (words.length === 0) continue;
    const w = words[0];
    // Only a cd in a chain before the build (`cd x && …` / `cd x; …`) or alone on its line.
    const after = text.slice(w.end, offset);
    if (!/^[ \t]*(&&|;|\r?\n|\r)/.test(after)) continue;
    out.push(w);
  }
  return out;
}

/** Start of the logical line holding `offset` (backslash continuations joined). */
function logicalLineStart(text: string, offset: number): number {
  let start = offset;
  for (;;) {
    const nl = Math.max(text.lastIndexOf('\n', start - 1), text.lastIndexOf('\r', start - 1));
    if (nl < 0) return 0;
    let k = nl;
    if (text[k] === '\n' && text[k - 1] === '\r') k--;
    if (text[k - 1] === '\\') {
      start = k - 1;
      continue;
    }
    return nl + 1;
  }
}
