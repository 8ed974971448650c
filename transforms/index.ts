/**
 * The ordered registry: transforms run in this order (SPEC §4), each on the text the previous
 * one produced. Adding a transform = adding its module and one line here.
 */
import type { Transform } from '../src/transform.js';
import runtimeMissingSource from './01-runtime-missing-source.js';
import contextRelativeDirs from './03-context-relative-dirs.js';
import contextRelativeFiles from './04-context-relative-files.js';
import copyPatternChown from './02-copy-pattern-chown.js';
import sourceMarkers from './05-source-markers.js';
import runtimeModuleCheck from './06-runtime-module-check.js';
import builderBuildplatform from './07-builder-buildplatform.js';
import runtimeTargetplatform from './08-runtime-targetplatform.js';
import stageArgScope from './09-stage-arg-scope.js';
import undefinedVarDefault from './10-undefined-var-default.js';
import runtimeMarkerCheck from './11-runtime-marker-check.js';
import buildCommand from './12-build-command.js';
import vcsRefWithoutGit from './13-vcs-ref-without-git.js';
import pythonpathForUserSite from './14-pythonpath-for-user-site.js';
import runtimePackageCheck from './16-runtime-package-check.js';
import userSiteMarkers from './15-user-site-markers.js';
import copyBeforeMarkers from './17-copy-before-markers.js';
import criticalComments from './18-critical-comments.js';
import markerContent from './19-marker-content.js';
import finalVerification from './20-final-verification.js';

export const allTransforms: Transform[] = [
  runtimeMissingSource,
  contextRelativeDirs,
  contextRelativeFiles,
  copyPatternChown,
  sourceMarkers,
  runtimeModuleCheck,
  builderBuildplatform,
  runtimeTargetplatform,
  stageArgScope,
  undefinedVarDefault,
  runtimeMarkerCheck,
  buildCommand,
  vcsRefWithoutGit,
  pythonpathForUserSite,
  runtimePackageCheck,
  userSiteMarkers,
  copyBeforeMarkers,
  criticalComments,
  markerContent,
  finalVerification,
].sort((a, b) => a.number - b.number);

/** Find a transform by number (`7`, `07`) or id (`07-builder-buildplatform`, `builder-buildplatform`). */
export function findTransform(key: string): Transform | undefined {
  const k = key.trim().toLowerCase();
  if (/^\d+$/.test(k)) return allTransforms.find((t) => t.number === Number(k));
  return allTransforms.find((t) => t.id === k || t.id.replace(/^\d+-/, '') === k);
}

/** The transforms to run for `--only` / `--skip` lists; throws on an unknown key. */
export function selectTransforms(only: string[] = [], skip: string[] = []): Transform[] {
  const resolve = (keys: string[]) =>
    keys.map((key) => {
      const t = findTransform(key);
      if (!t) throw new Error(`unknown transform "${key}" (see --list)`);
      return t;
    });
  const onlySet = new Set(resolve(only));
  const skipSet = new Set(resolve(skip));
  return allTransforms.filter((t) => (onlySet.size === 0 || onlySet.has(t)) && !skipSet.has(t));
}
