/**
 * `.dockerignore` as Docker applies it, matched by @balena/dockerignore (a port of Docker's own
 * matcher: root-anchored patterns, `**`, `!` exceptions, a parent directory's exclusion applying
 * to what is inside it unless an exception re-includes it).
 *
 * Which file: `<Dockerfile name>.dockerignore` next to the Dockerfile takes precedence (BuildKit),
 * else `.dockerignore` at the context root. Read through the read-only ctx.fs.
 */
import * as path from 'node:path';
import type { Ignore } from '@balena/dockerignore';
import { lazy } from '../lazy.js';
import type { TransformContext } from '../context.js';

export interface DockerignoreView {
  /** Absolute path of the ignore file in use, or null when there is none. */
  file: string | null;
  patterns: string[];
  /** Whether a path relative to the context root (forward slashes) is left out of the context. */
  ignores(relPath: string): boolean;
}

// A CommonJS module whose typings declare an ES default export: required, it is the factory
// itself (or, in some builds, an object holding it as `default`). Loaded when a context has an
// ignore file to match.
type Factory = (options?: { ignorecase?: boolean }) => Ignore;
const dockerignoreModule = lazy<Factory | { default: Factory }>('@balena/dockerignore');
const ignore = (): Ignore => {
  const loaded = dockerignoreModule();
  return typeof loaded === 'function' ? loaded() : loaded.default();
};

const NONE: DockerignoreView = { file: null, patterns: [], ignores: () => false };

/** The ignore file that applies to the context's Dockerfile, or null. */
export function dockerignoreFile(ctx: TransformContext): string | null {
  if (ctx.dockerfilePath) {
    const specific = `${ctx.dockerfilePath}.dockerignore`;
    if (ctx.fs.isFile(specific)) return specific;
  }
  const root = path.join(ctx.contextRoot, '.dockerignore');
  return ctx.fs.isFile(root) ? root : null;
}

/** Parse the lines of a .dockerignore: comments and blank lines dropped, whitespace trimmed. */
export function parseDockerignore(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

export function dockerignoreFor(ctx: TransformContext): DockerignoreView {
  const file = dockerignoreFile(ctx);
  if (!file) return NONE;
  const text = ctx.fs.readText(file);
  if (text === null) return NONE;
  const patterns = parseDockerignore(text);
  const matcher = ignore().add(patterns);
  return {
    file,
    patterns,
    ignores(relPath) {
      const clean = path.posix.normalize(relPath.replace(/^\.\//, '')).replace(/\/+$/, '');
      if (clean === '.' || clean === '' || clean.startsWith('../')) return false;
      return matcher.ignores(clean);
    },
  };
}
