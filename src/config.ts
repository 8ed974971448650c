/**
 * `dockerfix.config.json`: found upward from each Dockerfile (or given with `--config`),
 * validated strictly (unknown keys and wrong types are errors), with per-path overrides.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type Picomatch from 'picomatch';
import { nearestAncestor } from './ancestors.js';
import { lazy } from './lazy.js';

/** The glob matcher, loaded when a config has overrides to match. */
const picomatch = lazy<typeof Picomatch>('picomatch');

export const CONFIG_FILE_NAME = 'dockerfix.config.json';

export interface DockerfixConfig {
  /** Build context root, relative to the config file. */
  context?: string;
  /** Marker prefix, e.g. `LUCID_SERVICE_MESH_CONTROLLER`. */
  markerPrefix?: string;
  /** Image tag for the build command (12). */
  image?: string;
  /** Target platform for the build command (12), e.g. `linux/arm64`. */
  platform?: string;
  /** Runtime user `uid:gid` or name, when the Dockerfile does not say. */
  runtimeUser?: string;
  /** Defaults for undefined variables (10); the key `*` is the fallback (`changeme`). */
  variableDefaults?: Record<string, string>;
  /** Distribution name → import name, over the built-in table. */
  importNames?: Record<string, string>;
  /** Image (name, `name:tag`, or prefix ending in `*`) → Python interpreter path, over the built-in table. */
  pythonInterpreters?: Record<string, string>;
  /** What 8 does with a constant platform on the final stage. */
  platformStyle?: 'target' | 'omit';
  /** The stage to treat as final (like `docker build --target`). */
  target?: string;
  /** Per-path settings: `{ "files": "glob", ...settings }`, later entries win. */
  overrides?: ConfigOverride[];
}

export interface ConfigOverride extends Omit<DockerfixConfig, 'overrides' | 'context'> {
  files: string | string[];
  context?: string;
}

/** The settings that apply to one Dockerfile, after overrides. */
export type ResolvedConfig = Omit<DockerfixConfig, 'overrides'> & {
  platformStyle: 'target' | 'omit';
  variableDefaults: Record<string, string>;
  importNames: Record<string, string>;
  /** Absolute path of the config file these settings came from, if any. */
  file: string | null;
};

export class ConfigError extends Error {}

const STRING_KEYS = [
  'context',
  'markerPrefix',
  'image',
  'platform',
  'runtimeUser',
  'target',
] as const;
const MAP_KEYS = ['variableDefaults', 'importNames', 'pythonInterpreters'] as const;
const KNOWN_KEYS = new Set<string>([...STRING_KEYS, ...MAP_KEYS, 'platformStyle', 'overrides']);

/** Shapes of string settings, checked so that a typo fails loudly instead of leaking into output. */
const STRING_FORMATS: Partial<
  Record<(typeof STRING_KEYS)[number], { pattern: RegExp; what: string }>
> = {
  platform: {
    pattern: /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?(,[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?)*$/,
    what: 'an os/arch[/variant] platform (or a comma-separated list), like "linux/arm64"',
  },
  markerPrefix: {
    pattern: /^[A-Za-z][A-Za-z0-9_]*$/,
    what: 'letters, digits and underscores, like "LUCID_SERVICE_MESH_CONTROLLER"',
  },
  runtimeUser: {
    pattern: /^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/,
    what: 'a user, uid, user:group or uid:gid, like "65532:65532"',
  },
  image: {
    pattern: /^[^\s"'`$\\]+$/,
    what: 'an image reference without blanks, quotes or variables',
  },
};

/** The known key nearest to a misspelt one (edit distance ≤ 3), for the error message. */
function closestKey(key: string): string | null {
  let best: string | null = null;
  let bestDistance = 4;
  for (const known of KNOWN_KEYS) {
    const d = editDistance(key.toLowerCase(), known.toLowerCase());
    if (d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

export const DEFAULT_CONFIG: ResolvedConfig = {
  platformStyle: 'target',
  variableDefaults: {},
  importNames: {},
  file: null,
};

/** Check a parsed config object; throws ConfigError naming the file and the key. */
export function validateConfig(raw: unknown, where: string, isOverride = false): DockerfixConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${where}: the config must be a JSON object`);
  }
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (isOverride && key === 'files') continue;
    if (key === '$schema' && !isOverride) continue;
    if (!KNOWN_KEYS.has(key) || (isOverride && key === 'overrides')) {
      const hint = closestKey(key);
      throw new ConfigError(
        `${where}: unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; ` +
          `known keys: ${[...KNOWN_KEYS].join(', ')}`,
      );
    }
  }
  for (const key of STRING_KEYS) {
    if (!(key in obj)) continue;
    if (typeof obj[key] !== 'string' || (obj[key] as string).trim() === '') {
      throw new ConfigError(`${where}: "${key}" must be a non-empty string`);
    }
    const format = STRING_FORMATS[key];
    if (format && !format.pattern.test(obj[key] as string)) {
      throw new ConfigError(
        `${where}: "${key}" must be ${format.what}, got ${JSON.stringify(obj[key])}`,
      );
    }
  }
  for (const key of MAP_KEYS) {
    if (!(key in obj)) continue;
    const v = obj[key];
    if (
      typeof v !== 'object' ||
      v === null ||
      Array.isArray(v) ||
      Object.values(v).some((x) => typeof x !== 'string')
    ) {
      throw new ConfigError(`${where}: "${key}" must be an object of strings`);
    }
  }
  if ('platformStyle' in obj && obj.platformStyle !== 'target' && obj.platformStyle !== 'omit') {
    throw new ConfigError(`${where}: "platformStyle" must be "target" or "omit"`);
  }
  if (isOverride) {
    const files = obj.files;
    const ok =
      typeof files === 'string' ||
      (Array.isArray(files) && files.every((f) => typeof f === 'string'));
    if (!ok || (Array.isArray(files) && files.length === 0)) {
      throw new ConfigError(`${where}: "files" must be a glob or a non-empty list of globs`);
    }
  }
  if ('overrides' in obj) {
    if (!Array.isArray(obj.overrides))
      throw new ConfigError(`${where}: "overrides" must be a list`);
    obj.overrides.forEach((o, i) => validateConfig(o, `${where}: overrides[${i}]`, true));
  }
  return obj as DockerfixConfig;
}

/** Read and validate a config file. */
export function loadConfigFile(file: string): DockerfixConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(
      `${file}: cannot read config (${(e as NodeJS.ErrnoException).code ?? e})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ConfigError(`${file}: invalid JSON (${(e as Error).message})`);
  }
  return validateConfig(raw, file);
}

/** The nearest `dockerfix.config.json` at or above `dir`, or null. */
export function findConfigFile(dir: string): string | null {
  return nearestAncestor(dir, configFileAt);
}

/** The config file in `folder` itself, or null. */
export function configFileAt(folder: string): string | null {
  const candidate = path.join(folder, CONFIG_FILE_NAME);
  return fs.existsSync(candidate) ? candidate : null;
}

/**
 * The settings for one Dockerfile: the config's top level, then every override whose glob
 * matches the Dockerfile's path relative to the config file's folder. `context` paths are
 * made absolute against the config file's folder.
 */
export function resolveConfig(
  config: DockerfixConfig | null,
  configFile: string | null,
  dockerfile: string | null,
): ResolvedConfig {
  if (!config) return { ...DEFAULT_CONFIG };
  const { overrides = [], ...withSchema } = config;
  const { $schema: _schema, ...top } = withSchema as DockerfixConfig & { $schema?: unknown };
  const base = configFile ? path.dirname(configFile) : process.cwd();
  let merged: ResolvedConfig = { ...DEFAULT_CONFIG, ...top, file: configFile };
  merged = {
    ...merged,
    variableDefaults: { ...(top.variableDefaults ?? {}) },
    importNames: { ...(top.importNames ?? {}) },
  };
  if (dockerfile) {
    const rel = path.relative(base, dockerfile).split(path.sep).join('/');
    for (const o of overrides) {
      const globs = Array.isArray(o.files) ? o.files : [o.files];
      if (!picomatch()(globs, { dot: true })(rel)) continue;
      const { files: _files, ...settings } = o;
      merged = {
        ...merged,
        ...settings,
        variableDefaults: { ...merged.variableDefaults, ...(settings.variableDefaults ?? {}) },
        importNames: { ...merged.importNames, ...(settings.importNames ?? {}) },
        pythonInterpreters: {
          ...merged.pythonInterpreters,
          ...(settings.pythonInterpreters ?? {}),
        },
      };
    }
  }
  if (merged.context) merged.context = path.resolve(base, merged.context);
  return merged;
}
