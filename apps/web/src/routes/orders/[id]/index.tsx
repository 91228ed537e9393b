import { A, useParams } from '@solidjs/router';
import { createEffect, createSignal, For, Match, on, onCleanup, onMount, Show, Switch, type Accessor } from 'solid-js';
import { AddressSummary } from '~/components/Addresses';
import { LineRow, StatusBadge } from '~/components/OrderParts';
import { ShopGate } from '~/components/ShopGate';
import { StorePage } from '~/components/StorePage';
import { api } from '~/lib/api';
import { countdownText, createMemberData, useLoginRedirect } from '~/lib/buyer';
import { failedError, readyValue, toApiError } from '~/lib/client-data';
import { formatFen, formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import { OrderExtras, ReviewForm } from '~/components/AfterSaleParts';
import type { OrderDetail, ShopInfo } from '~/lib/types';

/** C5: one order: status (with the payment countdown), address, lines, totals, remark, pay / cancel. */
export default function OrderPage() {
  const params = useParams<{ id: string }>();
  return (
    <ShopGate>
      {(shop) => <Show when={params.id} keyed>{(id) => <OrderView shop={shop} id={id} />}</Show>}
    </ShopGate>
  );
}

function OrderView(props: { shop: Accessor<ShopInfo>; id: string }) {
  const { t, tOr, lang } = useI18n();
  const toLogin = useLoginRedirect();
  const path = `/api/orders/${encodeURIComponent(props.id)}`;
  const [data, { reload }] = createMemberData(() => api.get<OrderDetail>(path));
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [now, setNow] = createSignal(Date.now());

  onMount(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    onCleanup(() => clearInterval(timer));
  });

  const pending = () => readyValue(data())?.order.status === 'pending_payment';
  const left = () => {
    const detail = readyValue(data());
    return detail ? detail.order.expiresAt - now() : 0;
  };
  const expired = () => pending() && left() <= 0;
  // The deadline passed while the page was open: the server closes the order (and frees its
  // stock) on its schedule; read it again so the page shows what the server decided.
  createEffect(on(expired, (isExpired) => { if (isExpired) void reload(); }, { defer: true }));

  async function cancel() {
    if (busy() || !window.confirm(t('order.confirmCancel'))) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.post(`${path}/cancel`);
    } catch (e) {
      const apiError = toApiError(e);
      if (toLogin(apiError)) return;
      setError(apiError.message);
    } finally {
      await reload();
      setBusy(false);
    }
  }

  return (
    <StorePage title={props.shop().name}>
      <nav class="crumbs small"><A href="/orders">{t('orders.title')}</A></nav>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())?.code === 'UNAUTHENTICATED'}><p class="muted">{t('common.loading')}</p></Match>
        <Match when={failedError(data())}>
          {(e) => (
            <section class="empty" data-testid="order-missing">
              <p class="alert">{e().message}</p>
              <A class="button" href="/orders">{t('orders.title')}</A>
            </section>
          )}
        </Match>
        <Match when={readyValue(data())}>
          {(detail) => {
            const order = () => detail().order;
            const payable = () => pending() && !expired() && detail().payment?.status === 'pending';
            return (
              <article class="order-detail" data-testid="order-detail" data-status={order().status}>
                <section class="card order-banner">
                  <h1><StatusBadge status={order().status} /></h1>
                  <p class="muted small">{tOr(`order.statusText.${order().status}`, '')}</p>
                  <Show when={pending()}>
                    <Show when={!expired()} fallback={<p class="alert warn" data-testid="order-expired">{t('order.expired')}</p>}>
                      <p data-testid="order-countdown">{t('order.countdown', { time: countdownText(left()) })}</p>
                    </Show>
                    <Show when={error()}>{(message) => <p class="alert" role="alert" data-testid="order-error">{message()}</p>}</Show>
                    <div class="actions">
                      <Show when={payable()}>
                        <A class="button primary" href={`/pay/${detail().payment?.intentId ?? ''}`} data-testid="order-pay">{t('order.pay')}</A>
                      </Show>
                      <button type="button" class="button" data-testid="order-cancel" disabled={busy()} onClick={() => void cancel()}>
                        {t('order.cancel')}
                      </button>
                    </div>
                  </Show>
                  <OrderExtras orderId={props.id} status={order().status} onChanged={reload} />
                </section>

                <Show when={detail().shipment}>
                  {(shipment) => (
                    <section class="card" data-testid="order-logistics">
                      <h2>{t('order.logistics')}</h2>
                      <p data-testid="order-tracking">{shipment().carrier} {shipment().trackingNo}</p>
                      <Show when={shipment().logistics.length > 0} fallback={<p class="muted small">{t('order.noLogistics')}</p>}>
                        <ol class="logistics">
                          <For each={[...shipment().logistics].reverse()}>
                            {(step) => <li data-testid="logistics-step"><span class="muted small">{formatTime(lang(), step.at)}</span> {step.text}</li>}
                          </For>
                        </ol>
                      </Show>
                    </section>
                  )}
                </Show>

                <Show when={order().address}>
                  {(address) => (
                    <section class="card" data-testid="order-address">
                      <h2>{t('checkout.address')}</h2>
                      <AddressSummary address={address()} />
                    </section>
                  )}
                </Show>

                <section class="card" data-testid="order-lines">
                  <h2>{t('checkout.items')}</h2>
                  <For each={detail().lines}>
                    {(line, i) => (
                      <>
                        <LineRow line={line} amount={line.paidAmount} testid="order-line" />
                        <Show when={(line.refundedAmount ?? 0) > 0}>
                          <p class="small refund-note" data-testid="order-line-refunded">{t('order.refunded', { amount: formatFen(line.refundedAmount ?? 0) })}</p>
                        </Show>
                        <Show when={order().status === 'completed' && line.id}>
                          {(lineId) => <ReviewForm orderId={props.id} lineId={lineId()} index={i()} />}
                        </Show>
                      </>
                    )}
                  </For>
                  <dl class="totals">
                    <dt>{t('totals.items')}</dt>
                    <dd>{formatFen(order().itemsTotal)}</dd>
                    <Show when={(order().discountTotal ?? 0) > 0}>
                      <dt>{t('totals.discount')}</dt>
                      <dd class="discount">-{formatFen(order().discountTotal ?? 0)}</dd>
                    </Show>
                    <dt>{t('totals.shipping')}</dt>
                    <dd>{order().shippingFee === 0 ? t('totals.freeShipping') : formatFen(order().shippingFee)}</dd>
                    <dt class="total-label">{order().status === 'pending_payment' ? t('totals.pay') : t('totals.paid')}</dt>
                    <dd class="price total" data-testid="order-total">{formatFen(order().payTotal)}</dd>
                  </dl>
                </section>

                <section class="card">
                  <dl class="facts">
                    <dt>{t('orders.orderNo')}</dt>
                    <dd data-testid="order-no">{order().orderNo}</dd>
                    <dt>{t('order.createdAt')}</dt>
                    <dd>{formatTime(lang(), order().createdAt)}</dd>
                    <Show when={order().paidAt}>
                      {(at) => <><dt>{t('order.paidAt')}</dt><dd>{formatTime(lang(), at())}</dd></>}
                    </Show>
                    <Show when={order().closedAt}>
                      {(at) => <><dt>{t('order.closedAt')}</dt><dd>{formatTime(lang(), at())}</dd></>}
                    </Show>
                    <dt>{t('checkout.remark')}</dt>
                    <dd data-testid="order-remark">{order().remark || t('order.noRemark')}</dd>
                  </dl>
                </section>
              </article>
            );
          }}
        </Match>
      </Switch>
    </StorePage>
  );
}
