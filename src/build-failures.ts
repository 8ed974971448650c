/**
 * The kinds of build failure `--verify-build` tells apart, and their labels. Kept apart from
 * verify-build.ts (which starts processes) so that the reporters, loaded by every run, do not
 * load the build machinery a run without `--verify-build` never uses.
 */
export type FailureKind =
  | 'copy-source-not-found'
  | 'module-not-found'
  | 'exec-format-error'
  | 'base-image-unavailable'
  | 'other';

export const FAILURE_LABELS: Record<FailureKind, string> = {
  'copy-source-not-found': 'COPY source not found',
  'module-not-found': 'ModuleNotFoundError/ImportError',
  'exec-format-error': 'exec format error',
  'base-image-unavailable': 'base image not available',
  other: 'other',
};
