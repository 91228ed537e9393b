import { A } from '@solidjs/router';
import { createSignal, For, Match, Show, Switch, type Accessor } from 'solid-js';
import { AfterSaleBadge } from '~/components/AfterSaleParts';
import { ShopGate } from '~/components/ShopGate';
import { StorePage } from '~/components/StorePage';
import { api } from '~/lib/api';
import { TRACKING_NO } from '~/lib/admin-orders';
import { createMemberData, useLoginRedirect } from '~/lib/buyer';
import { failedError, readyValue, toApiError } from '~/lib/client-data';
import { formatFen, formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { AfterSale, ShopInfo } from '~/lib/types';

/** C7: the buyer's after-sales requests: status, return parcel for awaiting_return, withdraw while requested. */
export default function AfterSalesPage() {
  return <ShopGate>{(shop) => <AfterSalesView shop={shop} />}</ShopGate>;
}

function AfterSalesView(props: { shop: Accessor<ShopInfo> }) {
  const { t } = useI18n();
  const [data, { reload }] = createMemberData(() => api.get<{ items: AfterSale[] }>('/api/after-sales'));
  return (
    <StorePage title={props.shop().name} narrow>
      <h1>{t('afterSales.title')}</h1>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())?.code === 'UNAUTHENTICATED'}><p class="muted">{t('common.loading')}</p></Match>
        <Match when={failedError(data())}>{(e) => <p class="alert">{e().message}</p>}</Match>
        <Match when={readyValue(data())}>
          {(list) => (
            <Show when={list().items.length > 0} fallback={<p class="empty muted" data-testid="after-sales-empty">{t('afterSales.empty')}</p>}>
              <ul class="plain-list" data-testid="after-sales">
                <For each={list().items}>{(item) => <AfterSaleItem item={item} onChanged={reload} />}</For>
              </ul>
            </Show>
          )}
        </Match>
      </Switch>
    </StorePage>
  );
}

function AfterSaleItem(props: { item: AfterSale; onChanged: () => Promise<void> }) {
  const { t, tOr, lang } = useI18n();
  const toLogin = useLoginRedirect();
  const [carrier, setCarrier] = createSignal('');
  const [trackingNo, setTrackingNo] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const base = () => `/api/after-sales/${encodeURIComponent(props.item.id)}`;

  async function run(action: () => Promise<unknown>) {
    if (busy()) return;
    setBusy(true);
    setError(undefined);
    try {
      await action();
      await props.onChanged();
    } catch (e) {
      const apiError = toApiError(e);
      if (toLogin(apiError)) return;
      setError(apiError.message);
    } finally {
      setBusy(false);
    }
  }

  function sendReturn(e: SubmitEvent) {
    e.preventDefault();
    const c = carrier().trim();
    const n = trackingNo().trim();
    if (!c || c.length > 20) return setError(t('adminOrder.carrierRequired'));
    if (!TRACKING_NO.test(n)) return setError(t('adminOrder.trackingInvalid'));
    void run(() => api.post(`${base()}/return`, { carrier: c, trackingNo: n }));
  }

  function cancel() {
    if (!window.confirm(t('afterSales.confirmCancel'))) return;
    void run(() => api.post(`${base()}/cancel`));
  }

  return (
    <li class="card" data-testid="after-sale" data-id={props.item.id} data-status={props.item.status}>
      <div class="card-head">
        <strong>{tOr(`afterSale.kind.${props.item.kind}`, props.item.kind)}</strong>
        <AfterSaleBadge status={props.item.status} />
      </div>
      <p class="muted small">{formatTime(lang(), props.item.createdAt)} · {t('afterSales.lineCount', { n: props.item.lines.reduce((n, l) => n + l.quantity, 0) })}</p>
      <Show when={props.item.kind !== 'exchange'}>
        <p data-testid="after-sale-amount">{t('afterSales.amount', { amount: formatFen(props.item.amount) })}</p>
      </Show>
      <p class="small pre-line">{t('adminAfterSales.reason', { reason: props.item.reason })}</p>
      <Show when={props.item.rejectReason}>{(reason) => <p class="small alert">{t('afterSales.rejectReason', { reason: reason() })}</p>}</Show>
      <Show when={props.item.returnCarrier}>
        <p class="small">{t('afterSales.returnInfo', { carrier: props.item.returnCarrier ?? '', trackingNo: props.item.returnTrackingNo ?? '' })}</p>
      </Show>
      <Show when={error()}>{(message) => <p class="alert" role="alert" data-testid="after-sale-error">{message()}</p>}</Show>
      <Show when={props.item.status === 'awaiting_return'}>
        <form class="inline-fields" noValidate onSubmit={sendReturn} data-testid="return-form">
          <strong class="small">{t('afterSales.returnTitle')}</strong>
          <input class="input" maxLength={20} placeholder={t('afterSales.carrier')} aria-label={t('afterSales.carrier')}
            data-testid="return-carrier" value={carrier()} onInput={(e) => setCarrier(e.currentTarget.value)} />
          <input class="input" maxLength={40} placeholder={t('afterSales.trackingNo')} aria-label={t('afterSales.trackingNo')}
            data-testid="return-tracking" value={trackingNo()} onInput={(e) => setTrackingNo(e.currentTarget.value)} />
          <button type="submit" class="button primary compact" disabled={busy()} data-testid="return-submit">{t('afterSales.returnSubmit')}</button>
        </form>
      </Show>
      <div class="actions">
        <A class="link small" href={`/orders/${encodeURIComponent(props.item.orderId)}`} data-testid="after-sale-order">{t('afterSales.order')}</A>
        <Show when={props.item.status === 'requested'}>
          <button type="button" class="button compact" disabled={busy()} data-testid="after-sale-cancel" onClick={cancel}>{t('afterSales.cancel')}</button>
        </Show>
      </div>
    </li>
  );
}
