import { createSignal, onMount } from 'solid-js';
import { ApiError } from './api';

/**
 * Data of a page, loaded in the browser after hydration. The server renders the `loading`
 * state, so server and client markup always agree.
 */
export type Loadable<T> =
  | { state: 'loading' }
  | { state: 'ready'; value: T }
  | { state: 'failed'; error: ApiError };

export function toApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, 'CLIENT_ERROR', e instanceof Error ? e.message : String(e));
}

export function createClientData<T>(load: () => Promise<T>) {
  const [data, setData] = createSignal<Loadable<T>>({ state: 'loading' });
  let generation = 0;
  async function reload() {
    const mine = ++generation;
    try {
      const value = await load();
      if (mine === generation) setData({ state: 'ready', value });
    } catch (e) {
      if (mine === generation) setData({ state: 'failed', error: toApiError(e) });
    }
  }
  onMount(() => void reload());
  return [data, { reload, set: (value: T) => setData({ state: 'ready', value }) }] as const;
}

/** The value once loaded, else undefined (for `<Show when={…}>`). */
export function readyValue<T>(data: Loadable<T>): T | undefined {
  return data.state === 'ready' ? data.value : undefined;
}

/** The error once failed, else undefined. */
export function failedError<T>(data: Loadable<T>): ApiError | undefined {
  return data.state === 'failed' ? data.error : undefined;
}
