/**
 * Build-context root resolution for one Dockerfile, in the order of SPEC §3:
 * `--context DIR`, the config's `context`, a compose file whose service builds this Dockerfile
 * (`build.context` + `build.dockerfile`, resolved as compose does), the nearest ancestor holding
 * `.git`, the working directory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as YamlLibrary from 'yaml';
import type { ResolvedConfig } from '../config.js';
import { findGitRoot, type ContextSource } from '../context.js';
import { lazy } from '../lazy.js';

// Only read when a compose file is found: a run without one does not load the YAML parser.
const yaml = lazy<typeof YamlLibrary>('yaml');

export interface ResolvedRoot {
  root: string;
  source: ContextSource;
  /** Where it came from, for the report: the config file, `compose.yaml (service api)`. */
  detail?: string;
}

/** Compose file names, in the order `docker compose` looks for them. */
export const COMPOSE_FILE_NAMES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yaml',
  'docker-compose.yml',
];

/**
 * How resolution looks at folders. A batch passes a memoising one (src/batch.ts): Dockerfiles of
 * one tree share their ancestor folders, which are then probed once per batch, not per file.
 */
export interface FolderProbe {
  /** Nearest ancestor of `dir` (itself included) holding `.git`, or null. */
  gitRoot(dir: string): string | null;
  /** UTF-8 text of a file, or null when it cannot be read. */
  readText(file: string): string | null;
  /** The readable compose files of a folder, in COMPOSE_FILE_NAMES order (default: composeFilesIn). */
  composeFiles?(dir: string): ComposeText[];
}

export interface ComposeText {
  file: string;
  text: string;
}

/** The compose files of `dir` that `probe` can read, in the order `docker compose` tries them. */
export function composeFilesIn(dir: string, probe: FolderProbe): ComposeText[] {
  const out: ComposeText[] = [];
  for (const name of COMPOSE_FILE_NAMES) {
    const file = path.join(dir, name);
    const text = probe.readText(file);
    if (text !== null) out.push({ file, text });
  }
  return out;
}

export const directProbe: FolderProbe = {
  gitRoot: findGitRoot,
  readText: (file) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return null;
    }
  },
};

export function resolveContextRoot(
  dockerfile: string | null,
  flag: string | undefined,
  config: ResolvedConfig,
  cwd = process.cwd(),
  probe: FolderProbe = directProbe,
): ResolvedRoot {
  if (flag) return { root: path.resolve(cwd, flag), source: 'flag', detail: '--context' };
  if (config.context) {
    return { root: config.context, source: 'config', detail: config.file ?? undefined };
  }
  if (dockerfile) {
    const compose = findComposeContext(dockerfile, probe);
    if (compose) {
      return {
        root: compose.context,
        source: 'compose',
        detail: `${compose.file} (service ${compose.service})`,
      };
    }
  }
  const git = probe.gitRoot(dockerfile ? path.dirname(dockerfile) : cwd);
  if (git) return { root: git, source: 'git', detail: path.join(git, '.git') };
  return { root: path.resolve(cwd), source: 'cwd' };
}

export interface ComposeMatch {
  /** Absolute path of the compose file. */
  file: string;
  service: string;
  /** Absolute build context. */
  context: string;
}

/**
 * The nearest compose file (from the Dockerfile's folder upward, not above the git root) with a
 * service whose build uses this Dockerfile. Unreadable or invalid YAML files are skipped.
 */
export function findComposeContext(
  dockerfile: string,
  probe: FolderProbe = directProbe,
): ComposeMatch | null {
  const target = path.resolve(dockerfile);
  const stop = probe.gitRoot(path.dirname(target));
  for (let d = path.dirname(target); ; d = path.dirname(d)) {
    const found = probe.composeFiles ? probe.composeFiles(d) : composeFilesIn(d, probe);
    for (const { file, text } of found) {
      const match = composeServiceFor(text, file, target);
      if (match) return match;
    }
    if (d === stop || path.dirname(d) === d) return null;
  }
}

/** The service of one compose file that builds `dockerfile` (absolute), or null. */
export function composeServiceFor(
  text: string,
  composeFile: string,
  dockerfile: string,
): ComposeMatch | null {
  const doc = parsedYaml(text);
  if (doc === INVALID) return null;
  const services = (doc as { services?: unknown } | null)?.services;
  if (!services || typeof services !== 'object') return null;
  const dir = path.dirname(composeFile);
  for (const [service, def] of Object.entries(services as Record<string, unknown>)) {
    const build = (def as { build?: unknown } | null)?.build;
    let context: unknown;
    let file: unknown = 'Dockerfile';
    if (typeof build === 'string') {
      context = build;
    } else if (build && typeof build === 'object') {
      const b = build as { context?: unknown; dockerfile?: unknown };
      context = b.context ?? '.';
      if (b.dockerfile !== undefined) file = b.dockerfile;
    } else {
      continue;
    }
    if (typeof context !== 'string' || typeof file !== 'string') continue;
    // Remote contexts and interpolated values cannot be resolved to this file.
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(context) || /^git@/.test(context)) continue;
    if (context.includes('$') || file.includes('$')) continue;
    const contextDir = path.resolve(dir, expandHome(context));
    // compose: a relative dockerfile is resolved from the build context.
    const built = path.resolve(contextDir, file);
    if (built === dockerfile) return { file: composeFile, service, context: contextDir };
  }
  return null;
}

const INVALID = Symbol('invalid YAML');
const yamlCache = new Map<string, unknown>();

/**
 * The YAML of a compose file, parsed once per text: every Dockerfile under a compose file asks
 * for it. Parsing is pure and the result is only read, so a cached value is the same answer.
 */
function parsedYaml(text: string): unknown {
  if (yamlCache.has(text)) return yamlCache.get(text);
  let doc: unknown;
  try {
    doc = yaml().parse(text);
  } catch {
    doc = INVALID;
  }
  if (yamlCache.size >= 32) yamlCache.clear();
  yamlCache.set(text, doc);
  return doc;
}

function expandHome(p: string): string {
  return p.startsWith('~/') && process.env.HOME ? path.join(process.env.HOME, p.slice(2)) : p;
}
