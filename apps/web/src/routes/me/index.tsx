import { A, useNavigate } from '@solidjs/router';
import { For, Match, Show, Switch, type Accessor } from 'solid-js';
import { PluginSlot } from '~/components/PluginSlot';
import { ShopGate } from '~/components/ShopGate';
import { StorePage } from '~/components/StorePage';
import { api, queryString } from '~/lib/api';
import { createMemberData, ORDER_TABS, shownError } from '~/lib/buyer';
import { useCartCount } from '~/lib/cart-count';
import { createClientData, failedError, readyValue } from '~/lib/client-data';
import { useI18n } from '~/lib/i18n-context';
import type { Member, OrderPage, OrderStatus, ShopInfo } from '~/lib/types';

/** The member centre: who is signed in, orders by status (with counts), addresses, log out. */
export default function MePage() {
  return <ShopGate>{(shop) => <MeView shop={shop} />}</ShopGate>;
}

/** Tabs that get a count badge: what is waiting for someone. */
const COUNTED: OrderStatus[] = ['pending_payment', 'paid', 'shipped'];
/** GET /api/orders pages by 20: a full page with more behind it shows as "20+". */
const PAGE = 20;

function MeView(props: { shop: Accessor<ShopInfo> }) {
  const { t, tOr } = useI18n();
  const navigate = useNavigate();
  const cart = useCartCount();
  const [me] = createMemberData(() => api.get<{ member: Member }>('/api/member/me'));
  // Counts per tab: the first page of each status (there is no count endpoint).
  const [counts] = createClientData(async () => {
    const pages = await Promise.all(COUNTED.map((status) => api.get<OrderPage>(`/api/orders${queryString({ status })}`)));
    return Object.fromEntries(pages.map((page, i) => [COUNTED[i], page.nextCursor ? `${PAGE}+` : String(page.items.length)])) as Partial<Record<OrderStatus, string>>;
  });

  async function logout() {
    await api.post('/api/member/logout').catch(() => undefined);
    cart.set(undefined);
    navigate('/', { replace: true });
  }

  return (
    <StorePage title={props.shop().name}>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={readyValue(me())}>
          {(m) => (
            <>
              <section class="card me-head" data-testid="me-card">
                <div class="avatar" aria-hidden="true">{(m().member.nickname || m().member.username).slice(0, 1).toUpperCase()}</div>
                <div>
                  <h1 data-testid="me-username">{m().member.nickname || m().member.username}</h1>
                  <p class="muted small">{t('me.account', { username: m().member.username })} · {tOr(`channel.${m().member.channel}`, m().member.channel)}</p>
                </div>
              </section>

              <section class="card">
                <div class="card-head">
                  <h2>{t('me.orders')}</h2>
                  <A href="/orders" data-testid="me-orders">{t('me.allOrders')}</A>
                </div>
                <nav class="me-order-tabs">
                  <For each={ORDER_TABS.filter((tab) => tab.status !== undefined)}>
                    {(tab) => {
                      const count = () => {
                        const c = readyValue(counts());
                        const value = tab.status ? c?.[tab.status] : undefined;
                        return value && value !== '0' ? value : undefined;
                      };
                      return (
                        <A href={`/orders${queryString({ status: tab.status })}`} class="me-order-tab" data-testid={`me-orders-${tab.key}`}>
                          <span class="me-order-count" data-testid={`me-count-${tab.key}`}>
                            <Show when={count()}>{(n) => <span class="count-badge">{n()}</span>}</Show>
                          </span>
                          <span>{t(`orders.tab.${tab.key}`)}</span>
                        </A>
                      );
                    }}
                  </For>
                </nav>
              </section>

              <PluginSlot slot="storefront.member.center" />

              <section class="card link-list">
                <A href="/distribution" data-testid="me-distribution">{t('dist.centre')}<span aria-hidden="true">›</span></A>
                <A href="/me/addresses" data-testid="me-addresses">{t('me.addresses')}<span aria-hidden="true">›</span></A>
                <A href="/cart" data-testid="me-cart">{t('cart.title')}<span aria-hidden="true">›</span></A>
              </section>

              <button type="button" class="button block" data-testid="me-logout" onClick={() => void logout()}>{t('common.logout')}</button>
            </>
          )}
        </Match>
        <Match when={shownError(failedError(me()))}>
          {(e) => <p class="alert" role="alert">{e().message}</p>}
        </Match>
      </Switch>
    </StorePage>
  );
}
