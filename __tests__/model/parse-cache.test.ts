/** ParseCache / ParseMemo behave like a WeakMap / a memo per (key, second key). */
import { describe, expect, test } from '@jest/globals';
import { ParseCache, ParseMemo } from '../../src/model/parse-cache.js';

describe('ParseCache', () => {
  test('get / has / set like a WeakMap, per cache and per key', () => {
    const a = new ParseCache<object, unknown>();
    const b = new ParseCache<object, unknown>();
    const k1 = {};
    const k2 = {};
    expect(a.has(k1)).toBe(false);
    expect(a.get(k1)).toBeUndefined();
    a.set(k1, 1);
    expect(a.get(k1)).toBe(1);
    expect(a.has(k1)).toBe(true);
    expect(b.has(k1)).toBe(false);
    expect(a.has(k2)).toBe(false);
    b.set(k1, null);
    expect(b.has(k1)).toBe(true);
    expect(b.get(k1)).toBeNull();
    a.set(k2, undefined);
    expect(a.has(k2)).toBe(true);
    expect(a.get(k2)).toBeUndefined();
    a.set(k1, 'again');
    expect(a.get(k1)).toBe('again');
    expect(b.get(k1)).toBeNull();
  });

  test('a cache created after a key got its memos still works on that key', () => {
    const first = new ParseCache<object, number>();
    const key = {};
    first.set(key, 1);
    const later = new ParseCache<object, number>();
    expect(later.has(key)).toBe(false);
    expect(later.get(key)).toBeUndefined();
    later.set(key, 2);
    expect(later.get(key)).toBe(2);
    expect(first.get(key)).toBe(1);
  });
});

describe('ParseMemo', () => {
  test('computes once per (key, second key)', () => {
    const memo = new ParseMemo<object, number>();
    const key = {};
    let calls = 0;
    const compute = () => ++calls;
    expect(memo.get(key, 'x', compute)).toBe(1);
    expect(memo.get(key, 'x', compute)).toBe(1);
    expect(memo.get(key, 'y', compute)).toBe(2);
    expect(memo.get({}, 'x', compute)).toBe(3);
    expect(calls).toBe(3);
  });
});
