import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createEffect, createSignal, For, Match, Show, Switch, type Accessor } from 'solid-js';
import { AddressForm, AddressSummary } from '~/components/Addresses';
import { LineRow } from '~/components/OrderParts';
import { PluginSlot } from '~/components/PluginSlot';
import { LineOffers, OffersTotals } from '~/components/widgets/Offers';
import { ShopGate } from '~/components/ShopGate';
import { StorePage } from '~/components/StorePage';
import { api, queryString } from '~/lib/api';
import { createMemberData, newClientKey, useLoginRedirect } from '~/lib/buyer';
import { useCartCount } from '~/lib/cart-count';
import { createClientData, failedError, readyValue, toApiError } from '~/lib/client-data';
import { formatFen } from '~/lib/format';
import { inLang, storedChoices, type Choices } from '~/lib/plugin-widgets';
import { useI18n } from '~/lib/i18n-context';
import type { Address, CheckoutPreview, ShopInfo, SubmitResult } from '~/lib/types';

/** C3 step 2: confirm the order: address, lines, totals from the server's preview, remark, submit. */
export default function CheckoutPage() {
  return <ShopGate>{(shop) => <CheckoutView shop={shop} />}</ShopGate>;
}

type Purchase = { fromCart: true } | { items: { skuId: string; quantity: number }[] };

function CheckoutView(props: { shop: Accessor<ShopInfo> }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const toLogin = useLoginRedirect();
  const cartCount = useCartCount();
  const [params] = useSearchParams<{ sku?: string; qty?: string }>();

  /** `?sku=…&qty=…` is 立即购买 (one SKU, the cart untouched); otherwise the whole cart. */
  const purchase = (): Purchase => {
    const sku = typeof params.sku === 'string' ? params.sku : '';
    if (!sku) return { fromCart: true };
    const qty = Number.parseInt(typeof params.qty === 'string' ? params.qty : '1', 10);
    return { items: [{ skuId: sku, quantity: Number.isFinite(qty) ? Math.min(999, Math.max(1, qty)) : 1 }] };
  };
  const fromCart = () => 'fromCart' in purchase();

  // Addresses and the priced preview load side by side; a guest is sent to log in by the first.
  const [addresses, addressActions] = createMemberData(async () => (await api.get<{ addresses: Address[] }>('/api/member/addresses')).addresses);
  /** The buyer's choices for plugins (a coupon or none, points on/off), sent with preview and submit. */
  const [choices, setChoices] = createSignal<Choices>({ ...storedChoices() });
  const [preview, previewActions] = createClientData(() => api.post<CheckoutPreview>('/api/checkout/preview', { ...purchase(), choices: choices() }));
  function setChoice(pluginId: string, choice: unknown) {
    setChoices((prev) => ({ ...prev, [pluginId]: choice }));
    setProblem(undefined);
    setPriceChange(undefined);
    void previewActions.reload();
  }

  const [selectedId, setSelectedId] = createSignal<string>();
  const [adding, setAdding] = createSignal(false);
  const [remark, setRemark] = createSignal('');
  const [submitting, setSubmitting] = createSignal(false);
  const [problem, setProblem] = createSignal<{ code: string; text: string }>();
  const [priceChange, setPriceChange] = createSignal<{ from: number; to: number }>();
  /** One key per visit of this page: a retry or a double tap makes one order, not two. */
  let clientKey: string | undefined;

  createEffect(() => {
    const list = readyValue(addresses());
    if (!list) return;
    if (!list.some((a) => a.id === selectedId())) setSelectedId((list.find((a) => a.isDefault) ?? list[0])?.id);
  });

  const showForm = () => adding() || readyValue(addresses())?.length === 0;

  async function saved(address: Address) {
    setAdding(false);
    await addressActions.reload();
    setSelectedId(address.id);
    if (problem()?.code === 'ADDRESS_REQUIRED') setProblem(undefined);
  }

  async function submit() {
    const current = readyValue(preview());
    if (!current || submitting()) return;
    const addressId = selectedId();
    if (!addressId) {
      setProblem({ code: 'ADDRESS_REQUIRED', text: t('checkout.chooseAddress') });
      return;
    }
    setSubmitting(true);
    setProblem(undefined);
    clientKey ??= newClientKey();
    try {
      const result = await api.post<SubmitResult>('/api/checkout/submit', {
        ...purchase(), choices: choices(), addressId, clientKey, remark: remark().trim(), expectedPayTotal: current.totals.payTotal,
      });
      if (fromCart()) void cartCount.refresh();
      navigate(`/pay/${encodeURIComponent(result.payment.intentId)}`, { replace: true });
    } catch (e) {
      const error = toApiError(e);
      if (toLogin(error)) return;
      if (error.code === 'PRICE_CHANGED') {
        // The server's prices moved since the preview: show the new lines and total, and let the
        // buyer confirm them with the next tap (which sends the new total as expected).
        await previewActions.reload();
        const fresh = readyValue(preview());
        setPriceChange({ from: current.totals.payTotal, to: fresh?.totals.payTotal ?? current.totals.payTotal });
      } else if (error.code === 'PLUGIN_REFUSED') {
        // A plugin said no (the coupon was just used elsewhere, the flash units are gone, too few
        // points): its own message, then the price again without it for the buyer to confirm.
        const details = error.details as { pluginId?: string; code?: string; message?: { zh: string; en: string } } | undefined;
        setProblem({ code: details?.code ?? error.code, text: details?.message ? inLang(details.message, lang()) : error.message });
        await previewActions.reload();
      } else {
        setProblem({ code: error.code, text: error.message });
        if (error.code === 'OUT_OF_STOCK' || error.code === 'PRODUCT_NOT_FOUND') void previewActions.reload();
        if (error.code === 'ADDRESS_REQUIRED') void addressActions.reload();
      }
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <StorePage title={props.shop().name}>
      <h1>{t('checkout.title')}</h1>

      <section class="card" data-testid="checkout-address">
        <div class="card-head">
          <h2>{t('checkout.address')}</h2>
          <Show when={!showForm()}>
            <button type="button" class="link" data-testid="address-add" onClick={() => setAdding(true)}>{t('address.add')}</button>
          </Show>
        </div>
        <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
          <Match when={failedError(addresses()) && failedError(addresses())?.code !== 'UNAUTHENTICATED'}>
            <p class="alert">{failedError(addresses())?.message}</p>
          </Match>
          <Match when={readyValue(addresses())}>
            {(list) => (
              <>
                <div class="address-options" role="radiogroup" aria-label={t('checkout.address')}>
                  <For each={list()}>
                    {(address) => (
                      <label class="address-option" classList={{ selected: selectedId() === address.id }} data-testid="address-option" data-id={address.id}>
                        <input type="radio" name="address" value={address.id} checked={selectedId() === address.id}
                          onChange={() => setSelectedId(address.id)} />
                        <AddressSummary address={address} />
                      </label>
                    )}
                  </For>
                </div>
                <Show when={showForm()}>
                  <h3>{t('address.add')}</h3>
                  <AddressForm onSaved={(a) => void saved(a)} onCancel={list().length > 0 ? () => setAdding(false) : undefined} />
                </Show>
              </>
            )}
          </Match>
        </Switch>
      </section>

      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(preview())}>
          {(error) => (
            <section class="empty" data-testid="checkout-unavailable">
              <p class="alert">{error().message}</p>
              <Show when={error().code !== 'UNAUTHENTICATED'}>
                <p class="actions center-actions">
                  <Show when={fromCart()} fallback={<A class="button" href="/">{t('common.home')}</A>}>
                    <A class="button" href="/cart">{t('checkout.backToCart')}</A>
                  </Show>
                  <button type="button" class="button" onClick={() => void previewActions.reload()}>{t('common.retry')}</button>
                </p>
              </Show>
            </section>
          )}
        </Match>
        <Match when={readyValue(preview())}>
          {(p) => (
            <>
              <section class="card" data-testid="checkout-lines">
                <h2>{t('checkout.items')}</h2>
                <For each={p().lines}>
                  {(line, i) => (
                    <>
                      <LineRow line={line} amount={line.lineTotal} testid="checkout-line" />
                      <LineOffers line={line} testid={`checkout-offers-${i()}`} />
                    </>
                  )}
                </For>
              </section>
              <PluginSlot slot="storefront.checkout.summary"
                ctx={{ mode: 'checkout', lines: p().lines, offers: p().offers, totals: p().totals, choices: choices(), setChoice }} />
              <section class="card">
                <label class="field remark-field">
                  <span>{t('checkout.remark')}</span>
                  <textarea class="input plain-text" rows={2} maxLength={200} placeholder={t('checkout.remarkHint')} data-testid="checkout-remark"
                    value={remark()} onInput={(e) => setRemark(e.currentTarget.value)} />
                </label>
                <OffersTotals totals={p().totals} offers={p().offers} gifts={p().gifts} adjustments={p().adjustments} totalTestid="checkout-total" />
              </section>
              <Show when={priceChange()}>
                {(change) => (
                  <p class="alert warn" role="alert" data-testid="price-changed" data-from={change().from} data-to={change().to}>
                    {t('checkout.priceChanged', { from: formatFen(change().from), to: formatFen(change().to) })}
                  </p>
                )}
              </Show>
              <Show when={problem()}>
                {(pr) => (
                  <p class="alert" role="alert" data-testid="checkout-error" data-code={pr().code}>
                    {pr().text}
                    <Show when={pr().code === 'CART_EMPTY'}>
                      {' '}<A href={`/orders${queryString({ status: 'pending_payment' })}`}>{t('checkout.seeOrders')}</A>
                    </Show>
                  </p>
                )}
              </Show>
              <div class="checkout-bar">
                <div class="checkout-bar-total">
                  <span class="muted small">{t('totals.pay')}</span>
                  <strong class="price" data-testid="checkout-bar-total">{formatFen(p().totals.payTotal)}</strong>
                </div>
                <button type="button" class="button primary" data-testid="checkout-submit"
                  disabled={submitting() || readyValue(addresses()) === undefined}
                  onClick={() => void submit()}>
                  {submitting() ? t('checkout.submitting') : priceChange() ? t('checkout.confirmNewTotal') : t('checkout.submit')}
                </button>
              </div>
            </>
          )}
        </Match>
      </Switch>
    </StorePage>
  );
}
