import { For, Show, type JSX } from 'solid-js';
import { shownError } from '~/lib/buyer';
import type { CursorList } from '~/lib/cursor-list';
import { useI18n } from '~/lib/i18n-context';

/** 加载更多, while there is a next page. */
export function LoadMoreButton<T>(props: { list: CursorList<T>; testid: string }) {
  const { t } = useI18n();
  return (
    <Show when={props.list.cursor()}>
      <p class="center">
        <button type="button" class="button" data-testid={props.testid} disabled={props.list.state() === 'more'} onClick={() => props.list.more()}>
          {props.list.state() === 'more' ? t('common.loading') : t('common.loadMore')}
        </button>
      </p>
    </Show>
  );
}

/**
 * A list read by cursor: its error (with 重试), the loading state, the rows or `empty`, and
 * 加载更多. An UNAUTHENTICATED error is not shown: the page sends the visitor to log in.
 */
export function CursorListView<T>(props: {
  list: CursorList<T>;
  /** `data-testid` of the list; the button is `{testid}-more`. */
  testid: string;
  empty: JSX.Element;
  class?: string;
  children: (item: T) => JSX.Element;
}) {
  const { t } = useI18n();
  return (
    <>
      <Show when={shownError(props.list.error())}>
        {(e) => <p class="alert" role="alert">{e().message} <button type="button" class="link" onClick={() => void props.list.reload()}>{t('common.retry')}</button></p>}
      </Show>
      <Show when={props.list.state() !== 'loading'} fallback={<p class="muted center">{t('common.loading')}</p>}>
        <Show when={props.list.items().length > 0} fallback={<Show when={!props.list.error()}>{props.empty}</Show>}>
          <ul class={props.class ?? 'plain-list'} data-testid={props.testid}>
            <For each={props.list.items()}>{(item) => props.children(item)}</For>
          </ul>
        </Show>
        <LoadMoreButton list={props.list} testid={`${props.testid}-more`} />
      </Show>
    </>
  );
}
