import { A } from '@solidjs/router';
import { onMount, Show, type ParentProps } from 'solid-js';
import { useCartCount } from '~/lib/cart-count';
import { useI18n } from '~/lib/i18n-context';
import { NoticeBell } from './NoticeBell';
import { PageShell } from './PageShell';

/**
 * A storefront page: the shop's name as title, the cart (with its badge) and 我的 in the header.
 * `cartKnown`: the page reads the cart itself and sets the badge (the cart page), so the header
 * does not read it a second time.
 */
export function StorePage(props: ParentProps<{ title: string; narrow?: boolean; cartKnown?: boolean }>) {
  return (
    <PageShell title={props.title} narrow={props.narrow} actions={<StoreHeaderLinks refresh={!props.cartKnown} />}>
      {props.children}
    </PageShell>
  );
}

function StoreHeaderLinks(props: { refresh: boolean }) {
  const { t } = useI18n();
  const cart = useCartCount();
  onMount(() => {
    if (props.refresh) void cart.refresh();
  });
  const badge = () => {
    const n = cart.count();
    return n === undefined || n === 0 ? undefined : n > 99 ? '99+' : String(n);
  };
  return (
    <div class="store-links">
      <NoticeBell href="/notifications" path="/api/notifications" testid="header-bell" />
      <A href="/cart" class="header-link" data-testid="header-cart" aria-label={t('cart.title')}>
        <CartIcon />
        <span class="header-link-text">{t('cart.short')}</span>
        <Show when={badge()}>{(text) => <span class="cart-badge" data-testid="cart-badge">{text()}</span>}</Show>
      </A>
      <A href="/me" class="header-link" data-testid="header-me" aria-label={t('me.short')}>
        <PersonIcon />
        <span class="header-link-text">{t('me.short')}</span>
      </A>
    </div>
  );
}

/** Inline icons: no icon font, no emoji (which some phones and headless browsers lack). */
function CartIcon() {
  return (
    <svg class="icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
      <path d="M3 4h2l2.2 10.2a1.5 1.5 0 0 0 1.5 1.2h8.6a1.5 1.5 0 0 0 1.5-1.1L21 8H6.2" />
      <circle cx="9.5" cy="19.5" r="1.3" />
      <circle cx="17" cy="19.5" r="1.3" />
    </svg>
  );
}

function PersonIcon() {
  return (
    <svg class="icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
      <circle cx="12" cy="8" r="4" />
      <path d="M4 21c0-4.2 3.6-7 8-7s8 2.8 8 7" />
    </svg>
  );
}
