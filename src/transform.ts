/**
 * The transform contract. A transform is pure: it reads the parsed document and a read-only
 * context, and returns findings that carry their edits as data. It never touches the file
 * system and never prints.
 */
import type { DockerDoc } from './model/document.js';
import type { Edit } from './edits.js';
import type { TransformContext } from './context.js';

export type Severity = 'error' | 'warning' | 'info';
export type FixSafety = 'safe' | 'unsafe';

export interface Finding {
  severity: Severity;
  message: string;
  /** Offset in the text the transform saw, used for the reported line. */
  offset: number;
  /** The fix; omitted when the finding is report-only. */
  edits?: Edit[];
}

export interface Transform {
  /** `NN-slug`, the name of the module, its docs page and its fixtures folder. */
  id: string;
  /** Position in the run order, 1 to 20 (also the log's correction number). */
  number: number;
  /** One line, imperative. */
  title: string;
  safety: FixSafety;
  /** Related rules of other tools (BuildKit checks, hadolint). */
  sources: string[];
  detect(doc: DockerDoc, ctx: TransformContext): Finding[];
}
