import { createSignal } from 'solid-js';
import type { ApiError } from './api';
import { toApiError } from './client-data';

/** One page of a list the API pages by cursor: `nextCursor` is null on the last page. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A list read page by page ("load more"): `reload()` reads the first page again (a newer call
 * wins over an older one still on its way), `more()` appends the next. Call `reload()` from an
 * effect or onMount, so the server renders the loading state.
 */
export function createCursorList<T>(fetchPage: (cursor: string | null) => Promise<CursorPage<T>>) {
  const [items, setItems] = createSignal<T[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [state, setState] = createSignal<'loading' | 'idle' | 'more'>('loading');
  const [error, setError] = createSignal<ApiError>();
  let generation = 0;

  async function load(after: string | null) {
    const mine = ++generation;
    setState(after ? 'more' : 'loading');
    setError(undefined);
    try {
      const page = await fetchPage(after);
      if (mine !== generation) return;
      setItems((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (e) {
      if (mine === generation) setError(toApiError(e));
    } finally {
      if (mine === generation) setState('idle');
    }
  }

  return {
    items,
    cursor,
    state,
    error,
    reload: () => load(null),
    more() {
      const next = cursor();
      if (next) void load(next);
    },
  };
}

export type CursorList<T> = ReturnType<typeof createCursorList<T>>;

/** A list the API answers whole (no cursor), as the one page of a cursor list. */
export const wholeList = <T>(items: T[]): CursorPage<T> => ({ items, nextCursor: null });
