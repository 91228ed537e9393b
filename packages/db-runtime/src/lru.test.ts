import { describe, expect, it } from 'vitest';
import { HandleLru } from './lru';

interface Handle { name: string; busy: boolean; closed: boolean }
const handle = (name: string): Handle => ({ name, busy: false, closed: false });

function lru(capacity: number) {
  const disposed: string[] = [];
  const cache = new HandleLru<Handle>(capacity, (h) => h.busy, (h) => { h.closed = true; disposed.push(h.name); });
  return { cache, disposed };
}

describe('HandleLru', () => {
  it('keeps up to capacity entries and disposes the least recently used beyond it', () => {
    const { cache, disposed } = lru(2);
    const [a, b, c] = [handle('a'), handle('b'), handle('c')];
    cache.set('a', a);
    cache.set('b', b);
    expect(disposed).toEqual([]);
    cache.set('c', c);
    expect(disposed).toEqual(['a']);
    expect(a.closed).toBe(true);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe(b);
    expect(cache.get('c')).toBe(c);
    expect(cache.size).toBe(2);
  });

  it('counts a get as a use: the entry read last is evicted last', () => {
    const { cache, disposed } = lru(2);
    cache.set('a', handle('a'));
    cache.set('b', handle('b'));
    cache.get('a');
    cache.set('c', handle('c'));
    expect(disposed).toEqual(['b']);
    expect(cache.get('a')).toBeDefined();
  });

  it('counts a set of an existing key as a use and does not dispose the value', () => {
    const { cache, disposed } = lru(2);
    const a = handle('a');
    cache.set('a', a);
    cache.set('b', handle('b'));
    cache.set('a', a);
    cache.set('c', handle('c'));
    expect(disposed).toEqual(['b']);
    expect(a.closed).toBe(false);
  });

  it('skips busy entries when evicting, and evicts the next idle one', () => {
    const { cache, disposed } = lru(2);
    const a = handle('a');
    a.busy = true;
    cache.set('a', a);
    cache.set('b', handle('b'));
    cache.set('c', handle('c'));
    expect(disposed).toEqual(['b']);
    expect(a.closed).toBe(false);
    expect(cache.get('a')).toBe(a);
  });

  it('exceeds its capacity rather than close a busy handle, and shrinks back on the next set', () => {
    const { cache, disposed } = lru(1);
    const [a, b] = [handle('a'), handle('b')];
    a.busy = true;
    b.busy = true;
    cache.set('a', a);
    cache.set('b', b);
    expect(cache.size).toBe(2);
    expect(disposed).toEqual([]);
    a.busy = false;
    b.busy = false;
    cache.set('c', handle('c'));
    expect(disposed).toEqual(['a', 'b']);
    expect(cache.size).toBe(1);
  });

  it('never evicts the key just set, even when every other entry is busy', () => {
    const { cache, disposed } = lru(1);
    const [a, b] = [handle('a'), handle('b')];
    a.busy = true;
    cache.set('a', a);
    cache.set('b', b);
    expect(disposed).toEqual([]);
    expect(b.closed).toBe(false);
    expect(cache.get('b')).toBe(b);
    expect(cache.get('a')).toBe(a);
    expect(cache.size).toBe(2);
  });

  it('never evicts the key just set when it is the least recently used idle entry left', () => {
    const { cache, disposed } = lru(2);
    const [a, b, c] = [handle('a'), handle('b'), handle('c')];
    a.busy = true;
    b.busy = true;
    cache.set('a', a);
    cache.set('b', b);
    cache.set('c', c);
    expect(disposed).toEqual([]);
    expect(c.closed).toBe(false);
    expect(cache.get('c')).toBe(c);
    // Once the others are idle, the next set shrinks the cache back, oldest first.
    a.busy = false;
    b.busy = false;
    cache.set('d', handle('d'));
    expect(disposed).toEqual(['a', 'b']);
    expect(cache.get('d')).toBeDefined();
    expect(cache.get('c')).toBe(c);
  });

  it('disposes on delete and on clear, and ignores deleting a missing key', () => {
    const { cache, disposed } = lru(5);
    cache.set('a', handle('a'));
    cache.set('b', handle('b'));
    cache.delete('missing');
    cache.delete('a');
    expect(disposed).toEqual(['a']);
    expect(cache.size).toBe(1);
    cache.clear();
    expect(disposed).toEqual(['a', 'b']);
    expect(cache.size).toBe(0);
  });

  it('holds 10,000 handles within a bound of 500', () => {
    const { cache, disposed } = lru(500);
    for (let i = 0; i < 10_000; i++) cache.set(`shop-${i}`, handle(`shop-${i}`));
    expect(cache.size).toBe(500);
    expect(disposed).toHaveLength(9_500);
    expect(cache.get('shop-9999')).toBeDefined();
    expect(cache.get('shop-0')).toBeUndefined();
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a capacity of %s', (capacity) => {
    expect(() => new HandleLru(capacity, () => false, () => {})).toThrow(RangeError);
  });
});
