/**
 * A memo for facts of one parse, keyed by an object of that parse (a DockerDoc, a Stage, an
 * Instruction: immutable, and dropped together after the file is done). It has the WeakMap
 * methods the models use, but keeps each value on the key object itself, under a private
 * symbol: profiles showed WeakMap entries (ephemerons) costing the garbage collector more than
 * the memoised work, while a property dies with its object at no extra cost.
 */
export class ParseCache<K extends object, V> {
  private readonly slot = Symbol('dockerfix parse cache');

  get(key: K): V | undefined {
    return (key as Record<symbol, V | undefined>)[this.slot];
  }

  has(key: K): boolean {
    return Object.prototype.hasOwnProperty.call(key, this.slot);
  }

  set(key: K, value: V): this {
    (key as Record<symbol, V>)[this.slot] = value;
    return this;
  }
}
