/**
 * Dependencies only some runs need (the diff library when a file changed, the YAML parser when a
 * compose file or workflow is read), loaded on first use instead of at start-up: a single-file
 * run that needs neither does not pay for them. CommonJS builds, loaded synchronously.
 */
import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/** A getter that loads module `id` the first time it is called. */
export function lazy<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(id) as T);
}
