/**
 * 03 — A COPY/ADD directory source written relative to the Dockerfile's folder, while the build
 * context is an ancestor (the log: `COPY controller/ ./controller/` with the repository root as
 * context) fails with "not found". Rewrite it to the path from the context root. A directory
 * that exists in neither place is an error finding.
 */
import type { Transform } from '../src/transform.js';
import { rebaseFindings } from '../src/model/context-sources.js';

const transform: Transform = {
  id: '03-context-relative-dirs',
  number: 3,
  title: 'Rewrite COPY directory sources to paths from the build context root',
  safety: 'safe',
  sources: ['docker build: "failed to compute cache key: not found"'],
  detect(doc, ctx) {
    return rebaseFindings(doc, ctx, 'directory');
  },
};

export default transform;
