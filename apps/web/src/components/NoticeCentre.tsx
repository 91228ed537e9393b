import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { api } from '~/lib/api';
import { failedError, readyValue, toApiError, type Loadable } from '~/lib/client-data';
import { formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { NoticeList } from '~/lib/types';

/** A notification list (buyer or staff) with 全部已读; `readPath` takes `{ids?}` (none = all). */
export function NoticeCentre(props: { data: Loadable<NoticeList>; readPath: string; reload: () => Promise<void> }) {
  const { t, lang } = useI18n();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  async function readAll() {
    if (busy()) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.post(props.readPath, {});
      await props.reload();
    } catch (e) {
      setError(toApiError(e).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <div class="card-head">
        <h1>{t('notifications.title')}</h1>
        <Show when={(readyValue(props.data)?.unread ?? 0) > 0}>
          <button type="button" class="button compact" disabled={busy()} data-testid="notifications-read-all" onClick={() => void readAll()}>
            {t('notifications.readAll')}
          </button>
        </Show>
      </div>
      <Show when={error()}>{(message) => <p class="alert">{message()}</p>}</Show>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(props.data)?.code === 'UNAUTHENTICATED'}><p class="muted">{t('common.loading')}</p></Match>
        <Match when={failedError(props.data)}>{(e) => <p class="alert">{e().message}</p>}</Match>
        <Match when={readyValue(props.data)}>
          {(list) => (
            <Show when={list().items.length > 0} fallback={<p class="empty muted" data-testid="notifications-empty">{t('notifications.empty')}</p>}>
              <ul class="plain-list" data-testid="notifications" data-unread={list().unread}>
                <For each={list().items}>
                  {(notice) => (
                    <li class="card" classList={{ unread: !notice.readAt }} data-testid="notification" data-read={notice.readAt ? 'yes' : 'no'}>
                      <div class="card-head">
                        <strong>{notice.title}</strong>
                        <Show when={!notice.readAt}><span class="order-status">{t('notifications.unread')}</span></Show>
                      </div>
                      <p class="pre-line">{notice.body}</p>
                      <p class="muted small">{formatTime(lang(), notice.createdAt)}</p>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Match>
      </Switch>
    </>
  );
}
