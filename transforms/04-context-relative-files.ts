/**
 * 04 — The same as 03 for file sources (the log: `COPY requirements.txt ./requirements.txt`
 * → `COPY infrastructure/service-mesh/requirements.txt ./requirements.txt`). A source that
 * exists nowhere, and is not written as a directory (trailing `/`), is reported here.
 */
import type { Transform } from '../src/transform.js';
import { rebaseFindings } from '../src/model/context-sources.js';

const transform: Transform = {
  id: '04-context-relative-files',
  number: 4,
  title: 'Rewrite COPY file sources to paths from the build context root',
  safety: 'safe',
  sources: ['docker build: "failed to compute cache key: not found"'],
  detect(doc, ctx) {
    return rebaseFindings(doc, ctx, 'file');
  },
};

export default transform;
