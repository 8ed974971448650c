/**
 * A memo for facts of one parse, keyed by an object of that parse (a DockerDoc, a Stage, an
 * Instruction: immutable, and dropped together after the file is done). It has the WeakMap
 * methods the models use, but keeps the values on the key object itself, in one Map under one
 * property: profiles showed WeakMap entries (ephemerons) costing the garbage collector more than
 * the memoised work, while a property dies with its object at no extra cost. One property for
 * all memos keeps every key object's shape the same whichever facts were asked, and in which order.
 */
const SLOT = Symbol('dockerfix parse memos');

interface Holder {
  [SLOT]?: Map<ParseCache<object, unknown>, unknown>;
}

export class ParseCache<K extends object, V> {
  get(key: K): V | undefined {
    return (key as Holder)[SLOT]?.get(this) as V | undefined;
  }

  has(key: K): boolean {
    return (key as Holder)[SLOT]?.has(this) ?? false;
  }

  set(key: K, value: V): this {
    const holder = key as Holder;
    let memos = holder[SLOT];
    if (memos === undefined) {
      memos = new Map();
      holder[SLOT] = memos;
    }
    memos.set(this, value);
    return this;
  }
}

/**
 * A ParseCache of answers per second key (the config, the context, a word): each is computed
 * once per (key, second key). Several transforms ask the same questions of the same parse.
 */
export class ParseMemo<K extends object, V> {
  private readonly cache = new ParseCache<K, Map<unknown, V>>();

  get(key: K, sub: unknown, compute: () => V): V {
    let bySub = this.cache.get(key);
    if (!bySub) {
      bySub = new Map();
      this.cache.set(key, bySub);
    }
    if (bySub.has(sub)) return bySub.get(sub) as V;
    const value = compute();
    bySub.set(sub, value);
    return value;
  }
}
