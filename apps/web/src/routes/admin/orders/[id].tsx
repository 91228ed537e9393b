import { A, useParams } from '@solidjs/router';
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { AddressSummary } from '~/components/Addresses';
import { FormAlert } from '~/components/Field';
import { LineRow, StatusBadge } from '~/components/OrderParts';
import { canManageOrders, OrdersAdminPage } from '~/components/OrdersAdmin';
import { api } from '~/lib/api';
import { CARRIER_MAX, CARRIER_SUGGESTIONS, TRACKING_NO } from '~/lib/admin-orders';
import { createClientData, failedError, readyValue, toApiError } from '~/lib/client-data';
import { createForm } from '~/lib/form';
import { formatFen, formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { AdminOrder, AdminOrderDetail, AdminPayment, Shipment } from '~/lib/types';

/** One order for the merchant: state, lines, totals, address, payments, parcel; ship, close, remark (orders.manage). */
export default function AdminOrderPage() {
  const { t } = useI18n();
  const params = useParams<{ id: string }>();
  return (
    <OrdersAdminPage title={t('adminOrder.title')}>
      {(me) => (
        // Keyed: another order's page starts fresh.
        <Show when={params.id} keyed>
          {(id) => <OrderView id={id} canManage={canManageOrders(me().staff)} />}
        </Show>
      )}
    </OrdersAdminPage>
  );
}

function OrderView(props: { id: string; canManage: boolean }) {
  const { t, tOr, lang } = useI18n();
  const path = `/api/admin/orders/${encodeURIComponent(props.id)}`;
  const [data, { reload }] = createClientData(() => api.get<AdminOrderDetail>(path));
  const [closing, setClosing] = createSignal(false);
  const [closeError, setCloseError] = createSignal<string>();
  const [notice, setNotice] = createSignal<string>();

  async function close() {
    if (closing() || !window.confirm(t('adminOrder.confirmClose'))) return;
    setClosing(true);
    setCloseError(undefined);
    setNotice(undefined);
    try {
      await api.post(`${path}/close`);
      setNotice(t('adminOrder.closedNotice'));
    } catch (e) {
      setCloseError(toApiError(e).message);
    } finally {
      // Closed, or the order moved on meanwhile (paid, closed on schedule): show what the server has.
      await reload();
      setClosing(false);
    }
  }

  return (
    <>
      <nav class="crumbs small"><A href="/admin/orders" data-testid="order-back">‹ {t('adminOrders.tabList')}</A></nav>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())}>
          {(e) => (
            <section class="empty" data-testid="order-missing">
              <p class="alert">{e().message}</p>
              <A class="button" href="/admin/orders">{t('adminOrders.tabList')}</A>
            </section>
          )}
        </Match>
        <Match when={readyValue(data())}>
          {(detail) => {
            const order = () => detail().order;
            return (
              <article class="order-detail" data-testid="order-detail" data-status={order().status} data-order-no={order().orderNo}>
                <section class="card order-banner">
                  <div class="card-head">
                    <h1><StatusBadge status={order().status} audience="admin" /></h1>
                    <span class="muted small">{t(`channel.${order().channel}`)}</span>
                  </div>
                  <p class="order-no" data-testid="order-no">{t('adminOrders.orderNo')} {order().orderNo}</p>
                  <p class="muted small">{tOr(`adminOrder.statusText.${order().status}`, '')}</p>
                  <Show when={order().status === 'pending_payment'}>
                    <p class="small" data-testid="order-expires">{t('adminOrder.expiresAt', { time: formatTime(lang(), order().expiresAt) })}</p>
                  </Show>
                  <Show when={notice()}>{(message) => <p class="notice" data-testid="order-notice">{message()}</p>}</Show>
                  <Show when={closeError()}>{(message) => <p class="alert" role="alert" data-testid="order-error">{message()}</p>}</Show>
                  <Show when={props.canManage && order().status === 'pending_payment'}>
                    <div class="actions">
                      <button type="button" class="button danger" data-testid="order-close" disabled={closing()} onClick={() => void close()}>
                        {t('adminOrder.close')}
                      </button>
                    </div>
                  </Show>
                </section>

                <Show when={props.canManage && order().status === 'paid'}>
                  <ShipForm path={path} onShipped={async () => { setNotice(t('adminOrder.shippedNotice')); await reload(); }}
                    onStale={() => void reload()} />
                </Show>

                <Show when={detail().shipment}>{(shipment) => <ShipmentCard shipment={shipment()} />}</Show>

                <section class="card" data-testid="order-address">
                  <h2>{t('adminOrder.address')}</h2>
                  <AddressSummary address={order().address} />
                </section>

                <section class="card" data-testid="order-lines">
                  <h2>{t('checkout.items')}</h2>
                  <For each={detail().lines}>
                    {(line) => (
                      <>
                        <LineRow line={line} amount={line.paidAmount} testid="order-line" />
                        <Show when={line.refundedAmount > 0}>
                          <p class="small refund-note">{t('adminOrder.refunded', { amount: formatFen(line.refundedAmount) })}</p>
                        </Show>
                      </>
                    )}
                  </For>
                  <OrderTotals order={order()} />
                </section>

                <section class="card">
                  <dl class="facts" data-testid="order-facts">
                    <dt>{t('adminOrders.orderNo')}</dt>
                    <dd>{order().orderNo}</dd>
                    <dt>{t('adminOrders.channel')}</dt>
                    <dd data-testid="order-channel">{t(`channel.${order().channel}`)}</dd>
                    <TimeFact label={t('order.createdAt')} at={order().createdAt} />
                    <TimeFact label={t('order.paidAt')} at={order().paidAt} />
                    <TimeFact label={t('adminOrder.shippedAt')} at={order().shippedAt} />
                    <TimeFact label={t('adminOrder.receivedAt')} at={order().receivedAt} />
                    <TimeFact label={t('adminOrder.completedAt')} at={order().completedAt} />
                    <TimeFact label={t('order.closedAt')} at={order().closedAt} />
                    <dt>{t('adminOrder.buyerRemark')}</dt>
                    <dd class="pre-line" data-testid="order-buyer-remark">{order().remark || t('order.noRemark')}</dd>
                  </dl>
                </section>

                <PaymentsCard payments={detail().payments} />

                <RemarkEditor path={path} initial={order().merchantRemark} canManage={props.canManage} />
              </article>
            );
          }}
        </Match>
      </Switch>
    </>
  );
}

function TimeFact(props: { label: string; at: number | null }) {
  const { lang } = useI18n();
  return (
    <Show when={props.at}>
      {(at) => <><dt>{props.label}</dt><dd>{formatTime(lang(), at())}</dd></>}
    </Show>
  );
}

/** Every amount as the API stored it, never computed here. */
function OrderTotals(props: { order: AdminOrder }) {
  const { t } = useI18n();
  return (
    <dl class="totals">
      <dt>{t('totals.items')}</dt>
      <dd>{formatFen(props.order.itemsTotal)}</dd>
      <Show when={props.order.discountTotal > 0}>
        <dt>{t('totals.discount')}</dt>
        <dd class="discount">-{formatFen(props.order.discountTotal)}</dd>
      </Show>
      <dt>{t('totals.shipping')}</dt>
      <dd>{props.order.shippingFee === 0 ? t('totals.freeShipping') : formatFen(props.order.shippingFee)}</dd>
      <dt class="total-label">{props.order.paidAt ? t('totals.paid') : t('totals.pay')}</dt>
      <dd class="price total" data-testid="order-total">{formatFen(props.order.payTotal)}</dd>
    </dl>
  );
}

/** C6: paid → shipped with one parcel (carrier + tracking number). */
function ShipForm(props: { path: string; onShipped: () => Promise<void>; onStale: () => void }) {
  const { t } = useI18n();
  const form = createForm({ carrier: '', trackingNo: '' });

  function submit(e: SubmitEvent) {
    e.preventDefault();
    const carrier = form.values().carrier.trim();
    const trackingNo = form.values().trackingNo.trim();
    const errors: { carrier?: string; trackingNo?: string } = {};
    if (!carrier) errors.carrier = t('adminOrder.carrierRequired');
    else if (carrier.length > CARRIER_MAX) errors.carrier = t('adminOrder.carrierTooLong', { n: CARRIER_MAX });
    if (!TRACKING_NO.test(trackingNo)) errors.trackingNo = t('adminOrder.trackingInvalid');
    if (errors.carrier || errors.trackingNo) {
      form.setErrors(errors);
      return;
    }
    void form.submit(async () => {
      try {
        await api.post(`${props.path}/ship`, { carrier, trackingNo });
      } catch (err) {
        // Someone else shipped or the order changed: the form stays with the message, the page catches up.
        if (toApiError(err).code === 'ORDER_STATE') props.onStale();
        throw err;
      }
      await props.onShipped();
    });
  }

  return (
    <section class="card">
      <h2>{t('adminOrder.shipTitle')}</h2>
      <form class="form" noValidate onSubmit={submit} data-testid="ship-form">
        <div class="grid2">
          <div class="field" classList={{ invalid: !!form.errors().carrier }}>
            <label for="ship-carrier">{t('adminOrder.carrier')}</label>
            <input id="ship-carrier" class="input" list="ship-carriers" maxLength={CARRIER_MAX} autocomplete="off"
              data-testid="ship-carrier" value={form.values().carrier} aria-invalid={form.errors().carrier ? 'true' : undefined}
              onInput={(e) => form.set('carrier', e.currentTarget.value)} />
            <datalist id="ship-carriers">
              <For each={CARRIER_SUGGESTIONS}>{(name) => <option value={name} />}</For>
            </datalist>
            <Show when={form.errors().carrier}>{(message) => <p class="error" role="alert" data-testid="error-carrier">{message()}</p>}</Show>
          </div>
          <div class="field" classList={{ invalid: !!form.errors().trackingNo }}>
            <label for="ship-tracking">{t('adminOrder.trackingNo')}</label>
            <input id="ship-tracking" class="input" maxLength={40} autocomplete="off" autocapitalize="characters" spellcheck={false}
              data-testid="ship-tracking" value={form.values().trackingNo} aria-invalid={form.errors().trackingNo ? 'true' : undefined}
              onInput={(e) => form.set('trackingNo', e.currentTarget.value)} />
            <Show when={form.errors().trackingNo} fallback={<p class="hint">{t('adminOrder.trackingHint')}</p>}>
              {(message) => <p class="error" role="alert" data-testid="error-trackingNo">{message()}</p>}
            </Show>
          </div>
        </div>
        <FormAlert message={form.errors().form} />
        <button type="submit" class="button primary" data-testid="ship-submit" disabled={form.busy()}>
          {form.busy() ? t('adminOrder.shipping') : t('adminOrder.shipSubmit')}
        </button>
      </form>
    </section>
  );
}

function ShipmentCard(props: { shipment: Shipment }) {
  const { t, lang } = useI18n();
  return (
    <section class="card" data-testid="order-shipment">
      <h2>{t('adminOrder.shipment')}</h2>
      <dl class="facts">
        <dt>{t('adminOrder.carrier')}</dt>
        <dd data-testid="shipment-carrier">{props.shipment.carrier}</dd>
        <dt>{t('adminOrder.trackingNo')}</dt>
        <dd data-testid="shipment-tracking">{props.shipment.trackingNo}</dd>
        <dt>{t('adminOrder.shippedAt')}</dt>
        <dd>{formatTime(lang(), props.shipment.createdAt)}</dd>
      </dl>
      <Show when={props.shipment.logistics.length > 0}>
        <h3>{t('adminOrder.logistics')}</h3>
        <ol class="timeline">
          <For each={[...props.shipment.logistics].reverse()}>
            {(event) => <li><span class="muted small">{formatTime(lang(), event.at)}</span> {event.text}</li>}
          </For>
        </ol>
      </Show>
    </section>
  );
}

function PaymentsCard(props: { payments: AdminPayment[] }) {
  const { t, tOr, lang } = useI18n();
  return (
    <section class="card" data-testid="order-payments">
      <h2>{t('adminOrder.payments')}</h2>
      <Show when={props.payments.length > 0} fallback={<p class="muted">{t('adminOrder.noPayments')}</p>}>
        <ul class="payment-list">
          <For each={props.payments}>
            {(payment) => (
              <li data-testid="order-payment" data-status={payment.status}>
                <div class="payment-head">
                  <strong>{tOr(`adminOrder.provider.${payment.provider}`, payment.provider)}</strong>
                  <span class="price">{formatFen(payment.amount)}</span>
                  <span class="badge" classList={{ ok: payment.status === 'succeeded', off: payment.status === 'closed' || payment.status === 'failed' }}>
                    {tOr(`adminOrder.paymentStatus.${payment.status}`, payment.status)}
                  </span>
                </div>
                <div class="muted small">
                  {formatTime(lang(), payment.updatedAt)}
                  <Show when={payment.externalId}>{(id) => <> · {t('adminOrder.externalId')} <code>{id()}</code></>}</Show>
                </div>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}

/** The merchant's own note (never shown to the buyer): editable with orders.manage. */
function RemarkEditor(props: { path: string; initial: string; canManage: boolean }) {
  const { t } = useI18n();
  const [remark, setRemark] = createSignal(props.initial);
  const [saved, setSaved] = createSignal(props.initial);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [done, setDone] = createSignal(false);

  async function save(e: SubmitEvent) {
    e.preventDefault();
    if (busy()) return;
    setBusy(true);
    setError(undefined);
    setDone(false);
    try {
      const text = remark().trim();
      await api.patch(`${props.path}/remark`, { remark: text });
      setRemark(text);
      setSaved(text);
      setDone(true);
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card">
      <h2>{t('adminOrder.merchantRemark')}</h2>
      <Show when={props.canManage} fallback={<p class="pre-line" data-testid="order-remark">{saved() || t('order.noRemark')}</p>}>
        <form class="form" noValidate onSubmit={(e) => void save(e)}>
          <textarea class="input plain-text" rows={3} maxLength={500} aria-label={t('adminOrder.merchantRemark')}
            data-testid="order-remark" value={remark()} onInput={(e) => { setRemark(e.currentTarget.value); setDone(false); }} />
          <p class="hint">{t('adminOrder.merchantRemarkHint')}</p>
          <FormAlert message={error()} />
          <Show when={done()}><p class="notice" data-testid="order-remark-saved">{t('common.saved')}</p></Show>
          <div class="actions">
            <button type="submit" class="button primary" data-testid="order-remark-save" disabled={busy() || remark().trim() === saved()}>
              {busy() ? t('common.saving') : t('adminOrder.remarkSave')}
            </button>
          </div>
        </form>
      </Show>
    </section>
  );
}
