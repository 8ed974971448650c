/**
 * The walk from a folder up to `/` that config-file lookup and git-root lookup share: the
 * first folder that answers wins. A batch passes `remember`, so each folder's answer (its own,
 * else its parent's) is worked out once for all the Dockerfiles below it.
 */
import * as path from 'node:path';

export function nearestAncestor(
  dir: string,
  answerAt: (folder: string) => string | null,
  remember?: (folder: string, compute: () => string | null) => string | null,
): string | null {
  const walk = (folder: string): string | null => {
    const compute = () => {
      const here = answerAt(folder);
      if (here !== null) return here;
      const parent = path.dirname(folder);
      return parent === folder ? null : walk(parent);
    };
    return remember ? remember(folder, compute) : compute();
  };
  return walk(path.resolve(dir));
}
