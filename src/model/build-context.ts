/**
 * Build-context root resolution for one Dockerfile, in the order of SPEC §3:
 * `--context DIR`, the config's `context`, the nearest ancestor holding `.git`, the working directory.
 */
import * as path from 'node:path';
import type { ResolvedConfig } from '../config.js';
import { findGitRoot, type ContextSource } from '../context.js';

export interface ResolvedRoot {
  root: string;
  source: ContextSource;
}

export function resolveContextRoot(
  dockerfile: string | null,
  flag: string | undefined,
  config: ResolvedConfig,
  cwd = process.cwd(),
): ResolvedRoot {
  if (flag) return { root: path.resolve(cwd, flag), source: 'flag' };
  if (config.context) return { root: config.context, source: 'config' };
  const git = findGitRoot(dockerfile ? path.dirname(dockerfile) : cwd);
  if (git) return { root: git, source: 'git' };
  return { root: path.resolve(cwd), source: 'cwd' };
}
