/**
 * The file system edge: finding Dockerfiles (honouring .gitignore), reading them strictly
 * (binary, invalid UTF-8, too large → a clear reason), and writing fixes atomically.
 */
import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import * as path from 'node:path';
import type { Ignore } from 'ignore';
import type IgnoreFactory from 'ignore';
import { lazy } from './lazy.js';

/** Default size cap: larger files are skipped, not parsed (parse cost grows quadratically). */
export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;

export class InputError extends Error {}
/** The file exceeds the size cap: reported as a 'skipped: too large' finding, not an error. */
export class TooLargeError extends InputError {}

const SKIPPED_DIRS = new Set(['node_modules', '.git']);
/** The .gitignore matcher, loaded when a walked folder has a .gitignore. */
const loadIgnore = lazy<typeof IgnoreFactory>('ignore');

/** Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile, Containerfile* (not .dockerignore files). */
export function isDockerfileName(name: string): boolean {
  if (name.endsWith('.dockerignore')) return false;
  return (
    /^dockerfile(\..+)?$/i.test(name) ||
    /^.+\.dockerfile$/i.test(name) ||
    /^containerfile(\..+)?$/i.test(name)
  );
}

export interface Discovery {
  /** Absolute paths, in a stable (sorted) order per directory argument. */
  files: string[];
  /** Arguments that could not be used, with the reason. */
  errors: { path: string; message: string }[];
}

/** Files given by name are taken as they are; directories are searched. */
export function discoverDockerfiles(args: string[], cwd = process.cwd()): Discovery {
  const files: string[] = [];
  const errors: Discovery['errors'] = [];
  const seen = new Set<string>();
  const add = (f: string) => {
    if (!seen.has(f)) {
      seen.add(f);
      files.push(f);
    }
  };
  for (const arg of args) {
    const abs = path.resolve(cwd, arg);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (e) {
      errors.push({ path: arg, message: describeFsError(e) });
      continue;
    }
    if (!stat.isDirectory()) {
      add(abs);
      continue;
    }
    const found: string[] = [];
    try {
      walk(abs, [], found);
    } catch (e) {
      errors.push({ path: arg, message: describeFsError(e) });
      continue;
    }
    if (found.length === 0)
      errors.push({ path: arg, message: 'no Dockerfiles found in this directory' });
    found.sort().forEach(add);
  }
  return { files, errors };
}

interface IgnoreLayer {
  dir: string;
  rules: Ignore;
}

function walk(dir: string, layers: IgnoreLayer[], out: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if (layers.length === 0) throw e;
    return; // an unreadable subdirectory is skipped, like git does
  }
  let here = layers;
  if (entries.some((e) => e.name === '.gitignore')) {
    const gitignore = path.join(dir, '.gitignore');
    if (fs.existsSync(gitignore)) {
      const text = fs.readFileSync(gitignore, 'utf8');
      here = [...layers, { dir, rules: loadIgnore()().add(text) }];
    }
  }
  for (const entry of entries) {
    // Only directories and Dockerfile names matter: other files are not looked at further.
    const maybeDir = entry.isDirectory() || entry.isSymbolicLink();
    if (!maybeDir && !isDockerfileName(entry.name)) continue;
    const full = path.join(dir, entry.name);
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && isDirectorySafe(full));
    if (isDir && SKIPPED_DIRS.has(entry.name)) continue;
    if (!isDir && !isDockerfileName(entry.name)) continue;
    if (isIgnored(here, full, isDir)) continue;
    if (isDir) {
      if (!entry.isSymbolicLink()) walk(full, here, out);
    } else {
      out.push(full);
    }
  }
}

function isDirectorySafe(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isIgnored(layers: IgnoreLayer[], full: string, isDir: boolean): boolean {
  for (const layer of layers) {
    const rel = path.relative(layer.dir, full).split(path.sep).join('/');
    if (rel && layer.rules.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

export interface ReadFile {
  text: string;
  bytes: Buffer;
  mode: number;
}

/** Read a Dockerfile strictly: a clear InputError for anything that is not UTF-8 text. */
export function readDockerfile(file: string, maxBytes = DEFAULT_MAX_BYTES): ReadFile {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    throw new InputError(describeFsError(e));
  }
  if (stat.isDirectory()) throw new InputError('is a directory');
  if (stat.size > maxBytes) {
    throw new TooLargeError(
      `skipped: too large (${formatBytes(stat.size)} > ${formatBytes(maxBytes)} limit)`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new InputError(describeFsError(e));
  }
  return { text: decodeDockerfile(bytes), bytes, mode: stat.mode & 0o7777 };
}

/** Strict UTF-8 decoding; a UTF-8 BOM is kept as U+FEFF so it is written back unchanged. */
export function decodeDockerfile(bytes: Buffer): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new InputError('not UTF-8 (UTF-16 byte-order mark); convert the file to UTF-8');
  }
  if (bytes.includes(0)) throw new InputError('binary file (contains NUL bytes), not a Dockerfile');
  // Strict validation first (native), then a plain decode, which keeps a BOM as U+FEFF.
  if (!isUtf8(bytes)) throw new InputError('invalid UTF-8');
  return bytes.toString('utf8');
}

export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EROFS':
      return 'read-only file system';
    case 'EFBIG':
      return 'file too large for the file-size limit';
    case 'EDQUOT':
      return 'disk quota exceeded';
    default:
      return (e as Error).message ?? String(e);
  }
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}

/**
 * Write `text` over `file` atomically: a temporary file in the same directory, fsync, then
 * rename. A symlink stays a link (its target is written). Refuses when the file changed on
 * disk since it was read (`expected` bytes). The original is intact on any failure.
 */
export function writeAtomic(file: string, text: string, expected: Buffer, mode: number): void {
  let target: string;
  try {
    target = fs.realpathSync(file);
  } catch (e) {
    throw new InputError(`cannot write: ${describeFsError(e)}`);
  }
  if ((mode & 0o222) === 0) throw new InputError('read-only file; not written');
  const dir = path.dirname(target);
  const tmp = path.join(
    dir,
    `.${path.basename(target)}.dockerfix-${process.pid}-${Date.now().toString(36)}.tmp`,
  );
  let fd: number | null = null;
  try {
    fd = fs.openSync(tmp, 'wx', mode);
    const data = Buffer.from(text, 'utf8');
    for (let done = 0; done < data.length;) done += fs.writeSync(fd, data, done);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.chmodSync(tmp, mode);
    const now = fs.readFileSync(target);
    if (!now.equals(expected))
      throw new InputError('changed on disk while dockerfix ran; not overwritten');
    fs.renameSync(tmp, target);
  } catch (e) {
    if (fd !== null) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot write: ${describeFsError(e)}`);
  }
}
