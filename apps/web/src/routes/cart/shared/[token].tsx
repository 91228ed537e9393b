import { A, useParams } from '@solidjs/router';
import { createSignal, For, Match, Show, Switch, type Accessor } from 'solid-js';
import { LineRow } from '~/components/OrderParts';
import { ShopGate } from '~/components/ShopGate';
import { StorePage } from '~/components/StorePage';
import { api } from '~/lib/api';
import { useLoginRedirect } from '~/lib/buyer';
import { useCartCount } from '~/lib/cart-count';
import { createClientData, failedError, readyValue, toApiError } from '~/lib/client-data';
import { useI18n } from '~/lib/i18n-context';
import type { SharedCartItem, ShopInfo } from '~/lib/types';

/** A cart someone shared: its items at today's prices, and 加入我的购物车 (sign-in needed). */
export default function SharedCartPage() {
  const params = useParams<{ token: string }>();
  return (
    <ShopGate>
      {(shop) => <Show when={params.token} keyed>{(token) => <SharedCart shop={shop} token={token} />}</Show>}
    </ShopGate>
  );
}

function SharedCart(props: { shop: Accessor<ShopInfo>; token: string }) {
  const { t } = useI18n();
  const toLogin = useLoginRedirect();
  const cart = useCartCount();
  const path = `/api/cart/shares/${encodeURIComponent(props.token)}`;
  const [data] = createClientData(() => api.get<{ items: SharedCartItem[] }>(path));
  const [busy, setBusy] = createSignal(false);
  const [result, setResult] = createSignal<{ added: unknown[]; skipped: number }>();
  const [error, setError] = createSignal<string>();

  async function accept() {
    if (busy()) return;
    setBusy(true);
    setError(undefined);
    try {
      setResult(await api.post<{ added: unknown[]; skipped: number }>(`${path}/accept`));
      void cart.refresh();
    } catch (e) {
      const apiError = toApiError(e);
      if (toLogin(apiError)) return;
      setError(apiError.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <StorePage title={props.shop().name} narrow>
      <h1>{t('cartShare.title')}</h1>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())}>{(e) => <p class="alert" data-testid="cart-share-missing">{e().message}</p>}</Match>
        <Match when={readyValue(data())}>
          {(share) => (
            <>
              <section class="card" data-testid="shared-items">
                <For each={share().items}>
                  {(item) => (
                    <div classList={{ unavailable: !item.available }} data-testid="shared-item" data-available={item.available ? 'yes' : 'no'}>
                      <LineRow line={{ title: item.title, specs: item.specs, image: item.image, unitPrice: item.price, quantity: item.quantity }} />
                      <Show when={!item.available}><p class="muted small">{t('cartShare.unavailable')}</p></Show>
                    </div>
                  )}
                </For>
              </section>
              <Show when={error()}>{(message) => <p class="alert" role="alert">{message()}</p>}</Show>
              <Show when={result()} fallback={
                <button type="button" class="button primary" disabled={busy()} data-testid="cart-share-accept" onClick={() => void accept()}>{t('cartShare.accept')}</button>
              }>
                {(r) => (
                  <p class="notice" data-testid="cart-share-accepted">
                    {t('cartShare.accepted', { added: r().added.length, skipped: r().skipped })}{' '}
                    <A href="/cart" data-testid="cart-share-go-cart">{t('cartShare.goCart')}</A>
                  </p>
                )}
              </Show>
            </>
          )}
        </Match>
      </Switch>
    </StorePage>
  );
}
