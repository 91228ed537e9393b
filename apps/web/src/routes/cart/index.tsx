import { A, useNavigate } from '@solidjs/router';
import { createEffect, createSignal, For, Match, Show, Switch, type Accessor } from 'solid-js';
import { LineRow } from '~/components/OrderParts';
import { PluginSlot } from '~/components/PluginSlot';
import { LineOffers, OffersTotals } from '~/components/widgets/Offers';
import { ShopGate } from '~/components/ShopGate';
import { Stepper } from '~/components/Stepper';
import { ShareCartButton } from '~/components/CartShare';
import { StorePage } from '~/components/StorePage';
import { api } from '~/lib/api';
import { createMemberData, useLoginRedirect } from '~/lib/buyer';
import { piecesIn, useCartCount } from '~/lib/cart-count';
import { failedError, readyValue, toApiError } from '~/lib/client-data';
import { formatFen } from '~/lib/format';
import { storedChoices } from '~/lib/plugin-widgets';
import { useI18n } from '~/lib/i18n-context';
import type { Cart, CartItem, ShippingRule, ShopInfo, Totals } from '~/lib/types';

/** C2: the cart: lines with stepper and remove, unavailable lines with why, live totals with shipping. */
export default function CartPage() {
  return <ShopGate>{(shop) => <CartView shop={shop} />}</ShopGate>;
}

/** Why a line cannot be bought now (the API says only `available: false`). */
function unavailableReason(item: CartItem, t: ReturnType<typeof useI18n>['t']): string {
  if (item.title === null || item.unitPrice === null) return t('cart.gone');
  if (item.stock === 0) return t('cart.soldOut');
  if (item.stock < item.quantity) return t('cart.shortStock', { n: item.stock });
  return t('cart.offShelf');
}

function CartView(props: { shop: Accessor<ShopInfo> }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const toLogin = useLoginRedirect();
  const cartCount = useCartCount();
  const [data, { reload }] = createMemberData(() => api.get<Cart>('/api/cart'));
  const [busy, setBusy] = createSignal<string>();
  const [error, setError] = createSignal<string>();

  createEffect(() => {
    const cart = readyValue(data());
    if (cart) cartCount.set(piecesIn(cart));
  });

  /** One change at a time; the cart (and its totals) is read again after each. */
  async function change(key: string, action: () => Promise<unknown>) {
    if (busy()) return;
    setBusy(key);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      const apiError = toApiError(e);
      if (toLogin(apiError)) return;
      setError(apiError.message);
    } finally {
      await reload();
      setBusy(undefined);
    }
  }

  const setQuantity = (item: CartItem, quantity: number) =>
    change(item.id, () => api.patch(`/api/cart/items/${encodeURIComponent(item.id)}`, { quantity }));
  const remove = (item: CartItem) => change(item.id, () => api.delete(`/api/cart/items/${encodeURIComponent(item.id)}`));
  const removeUnavailable = (items: CartItem[]) =>
    change('unavailable', () => Promise.all(items.map((item) => api.delete(`/api/cart/items/${encodeURIComponent(item.id)}`))));

  return (
    <StorePage title={props.shop().name} cartKnown>
      <h1>{t('cart.title')}</h1>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())?.code === 'UNAUTHENTICATED'}><p class="muted">{t('common.loading')}</p></Match>
        <Match when={failedError(data())}>
          {(e) => (
            <div class="alert" role="alert">
              {e().message}{' '}
              <button type="button" class="link" onClick={() => void reload()}>{t('common.retry')}</button>
            </div>
          )}
        </Match>
        <Match when={readyValue(data())?.items.length === 0}>
          <section class="empty" data-testid="cart-empty">
            <h2>{t('cart.empty')}</h2>
            <p class="muted">{t('cart.emptyText')}</p>
            <A class="button primary" href="/">{t('cart.shop')}</A>
          </section>
        </Match>
        <Match when={readyValue(data())}>
          {(cart) => {
            const unavailable = () => cart().items.filter((item) => !item.available);
            const productOf = (skuId: string) => cart().lines.find((l) => l.skuId === skuId)?.productId;
            const canCheckout = () => cart().lines.length > 0 && unavailable().length === 0 && !busy();
            return (
              <>
                <Show when={error()}>{(message) => <p class="alert" role="alert" data-testid="cart-error">{message()}</p>}</Show>
                <ul class="cart-list">
                  <For each={cart().items}>
                    {(item, i) => (
                      <li class="card cart-item" classList={{ unavailable: !item.available }} data-testid="cart-item"
                        data-sku={item.skuId} data-available={item.available ? 'true' : 'false'}>
                        <Show when={productOf(item.skuId)} fallback={<LineRow line={item} />}>
                          {(productId) => <A href={`/product/${productId()}`} class="plain-link"><LineRow line={item} /></A>}
                        </Show>
                        <Show when={cart().lines.find((l) => l.skuId === item.skuId && item.available)}>
                          {(line) => <LineOffers line={line()} testid={`cart-offers-${i()}`} />}
                        </Show>
                        <Show when={!item.available}>
                          <p class="unavailable-reason" data-testid={`cart-reason-${i()}`}>
                            {unavailableReason(item, t)}
                            <Show when={item.title !== null && item.stock > 0 && item.stock < item.quantity}>
                              {' '}
                              <button type="button" class="link" data-testid={`cart-fit-${i()}`} disabled={!!busy()}
                                onClick={() => void setQuantity(item, item.stock)}>{t('cart.fitStock', { n: item.stock })}</button>
                            </Show>
                          </p>
                        </Show>
                        <div class="cart-item-actions">
                          <Stepper testid={`cart-qty-${i()}`} value={item.quantity} max={Math.max(1, Math.min(999, item.stock))}
                            disabled={item.title === null || item.stock === 0 || busy() !== undefined}
                            onChange={(q) => void setQuantity(item, q)} />
                          <button type="button" class="link danger" data-testid={`cart-remove-${i()}`} disabled={!!busy()}
                            onClick={() => void remove(item)}>{t('common.remove')}</button>
                        </div>
                      </li>
                    )}
                  </For>
                </ul>
                <Show when={unavailable().length > 0}>
                  <p class="alert warn" data-testid="cart-unavailable-note">
                    {t('cart.unavailableNote', { n: unavailable().length })}{' '}
                    <button type="button" class="link" data-testid="cart-remove-unavailable" disabled={!!busy()}
                      onClick={() => void removeUnavailable(unavailable())}>{t('cart.removeUnavailable')}</button>
                  </p>
                </Show>
                <PluginSlot slot="storefront.cart.summary"
                  ctx={{ mode: 'cart', lines: cart().lines, offers: cart().offers, totals: cart().totals, choices: storedChoices(), setChoice: () => undefined }} />
                <section class="card">
                  <ShippingHint shipping={cart().shipping} totals={cart().totals} />
                  <OffersTotals totals={cart().totals} offers={cart().offers} gifts={cart().gifts} adjustments={cart().adjustments} totalTestid="cart-total" />
                </section>
                <ShareCartButton />
                <div class="checkout-bar">
                  <div class="checkout-bar-total">
                    <span class="muted small">{t('totals.pay')}</span>
                    <strong class="price">{formatFen(cart().totals.payTotal)}</strong>
                  </div>
                  <button type="button" class="button primary" data-testid="cart-checkout" disabled={!canCheckout()}
                    onClick={() => navigate('/checkout')}>{t('cart.checkout', { n: cart().lines.reduce((n, l) => n + ((l as { gift?: boolean }).gift ? 0 : l.quantity), 0) })}</button>
                </div>
              </>
            );
          }}
        </Match>
      </Switch>
    </StorePage>
  );
}

/** 满¥99免运费: how far the buyer is from free shipping, or that it is reached. */
function ShippingHint(props: { shipping: ShippingRule; totals: Totals }) {
  const { t } = useI18n();
  const short = () => props.shipping.freeThreshold - props.totals.itemsTotal;
  return (
    <Show when={props.shipping.mode === 'free_over' && props.shipping.fee > 0}>
      <p class="shipping-hint" data-testid="shipping-hint">
        <span class="badge">{t('cart.freeOver', { amount: formatFen(props.shipping.freeThreshold) })}</span>{' '}
        <Show when={props.totals.itemsTotal > 0}>
          <span class="muted small">
            {short() > 0 ? t('cart.freeShort', { amount: formatFen(short()) }) : t('cart.freeReached')}
          </span>
        </Show>
      </p>
    </Show>
  );
}
