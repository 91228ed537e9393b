import { A } from '@solidjs/router';
import { createSignal, onMount, Show } from 'solid-js';
import { api } from '~/lib/api';
import { useI18n } from '~/lib/i18n-context';
import type { NoticeList } from '~/lib/types';

/**
 * A bell with the unread count, linking to the notification centre. `path` is the list's API
 * (`/api/notifications` for buyers, `/api/admin/notifications` for staff); read once per page,
 * after hydration. A guest (401) or a missing permission just shows the bell without a count.
 */
export function NoticeBell(props: { href: string; path: string; testid: string }) {
  const { t } = useI18n();
  const [unread, setUnread] = createSignal(0);
  onMount(() => {
    api.get<NoticeList>(props.path).then((list) => setUnread(list.unread), () => undefined);
  });
  const badge = () => (unread() === 0 ? undefined : unread() > 99 ? '99+' : String(unread()));
  return (
    <A href={props.href} class="header-link" data-testid={props.testid} aria-label={t('notifications.title')}>
      <BellIcon />
      <Show when={badge()}>{(text) => <span class="cart-badge" data-testid={`${props.testid}-badge`}>{text()}</span>}</Show>
    </A>
  );
}

function BellIcon() {
  return (
    <svg class="icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
      <path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15z" />
      <path d="M10 20.5a2 2 0 0 0 4 0" />
    </svg>
  );
}
