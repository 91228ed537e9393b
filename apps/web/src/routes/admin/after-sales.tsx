import { A } from '@solidjs/router';
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { AfterSaleBadge } from '~/components/AfterSaleParts';
import { AdminPage } from '~/components/AdminPage';
import { api, queryString } from '~/lib/api';
import { createClientData, failedError, readyValue, toApiError } from '~/lib/client-data';
import { formatFen, formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import { AFTER_SALE_STATUSES, type AfterSale, type AfterSaleStatus } from '~/lib/types';

/** C7: the after-sales queue by status: approve, reject with a reason, receive returned goods. */
export default function AdminAfterSales() {
  const { t } = useI18n();
  return (
    <AdminPage title={t('adminAfterSales.title')} permission="aftersales.manage">
      {() => <Queue />}
    </AdminPage>
  );
}

function Queue() {
  const { t, tOr } = useI18n();
  const [status, setStatus] = createSignal<AfterSaleStatus | ''>('requested');
  const [data, { reload }] = createClientData(() => api.get<{ items: AfterSale[] }>(`/api/admin/after-sales${queryString({ status: status() })}`));
  function choose(next: AfterSaleStatus | '') {
    setStatus(next);
    void reload();
  }
  return (
    <>
      <h1>{t('adminAfterSales.title')}</h1>
      <nav class="tabs scroll" data-testid="after-sale-tabs">
        <For each={['' as const, ...AFTER_SALE_STATUSES]}>
          {(s) => (
            <button type="button" class="tab" classList={{ active: status() === s }} data-testid={`after-sale-tab-${s || 'all'}`} onClick={() => choose(s)}>
              {s ? tOr(`afterSaleStatus.${s}`, s) : t('adminAfterSales.all')}
            </button>
          )}
        </For>
      </nav>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())}>{(e) => <p class="alert">{e().message}</p>}</Match>
        <Match when={readyValue(data())}>
          {(list) => (
            <Show when={list().items.length > 0} fallback={<p class="empty muted" data-testid="after-sales-empty">{t('adminAfterSales.empty')}</p>}>
              <ul class="plain-list" data-testid="admin-after-sales">
                <For each={list().items}>{(item) => <QueueItem item={item} />}</For>
              </ul>
            </Show>
          )}
        </Match>
      </Switch>
    </>
  );
}

function QueueItem(props: { item: AfterSale }) {
  const { t, tOr, lang } = useI18n();
  // The row keeps its own status after an action, so the result stays visible until the tab reloads.
  const [status, setStatus] = createSignal<AfterSaleStatus>(props.item.status);
  const [rejecting, setRejecting] = createSignal(false);
  const [reason, setReason] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [result, setResult] = createSignal<AfterSaleStatus>();
  const base = `/api/admin/after-sales/${encodeURIComponent(props.item.id)}`;

  async function act(path: string, body?: unknown) {
    if (busy()) return;
    setBusy(true);
    setError(undefined);
    try {
      const res = await api.post<{ status: AfterSaleStatus }>(`${base}/${path}`, body);
      setStatus(res.status);
      setResult(res.status);
      setRejecting(false);
    } catch (e) {
      setError(toApiError(e).message);
    } finally {
      setBusy(false);
    }
  }

  function reject(e: SubmitEvent) {
    e.preventDefault();
    if (!reason().trim()) return setError(t('afterSale.reasonRequired'));
    void act('reject', { reason: reason().trim() });
  }

  return (
    <li class="card" data-testid="admin-after-sale" data-id={props.item.id} data-status={status()}>
      <div class="card-head">
        <strong>{tOr(`afterSale.kind.${props.item.kind}`, props.item.kind)}</strong>
        <AfterSaleBadge status={status()} />
      </div>
      <p class="small">
        {t('adminAfterSales.order')}{' '}
        <A href={`/admin/orders/${encodeURIComponent(props.item.orderId)}`} data-testid="after-sale-order">{props.item.orderId}</A>
        <span class="muted"> · {formatTime(lang(), props.item.createdAt)}</span>
      </p>
      <ul class="small plain">
        <For each={props.item.lines}>
          {(line) => <li>{t('adminAfterSales.line', { id: line.lineId.slice(0, 8), n: line.quantity, amount: formatFen(line.amount) })}</li>}
        </For>
      </ul>
      <Show when={props.item.kind !== 'exchange'}>
        <p data-testid="after-sale-amount">{t('afterSales.amount', { amount: formatFen(props.item.amount) })}</p>
      </Show>
      <p class="small pre-line">{t('adminAfterSales.reason', { reason: props.item.reason })}</p>
      <Show when={props.item.returnCarrier}>
        <p class="small">{t('afterSales.returnInfo', { carrier: props.item.returnCarrier ?? '', trackingNo: props.item.returnTrackingNo ?? '' })}</p>
      </Show>
      <Show when={props.item.rejectReason}>{(r) => <p class="small">{t('afterSales.rejectReason', { reason: r() })}</p>}</Show>
      <Show when={result()}>{(s) => <p class="notice" data-testid="after-sale-result" data-status={s()}>{t('adminAfterSales.result', { status: tOr(`afterSaleStatus.${s()}`, s()) })}</p>}</Show>
      <Show when={error()}>{(message) => <p class="alert" role="alert" data-testid="after-sale-error">{message()}</p>}</Show>
      <div class="actions">
        <Show when={status() === 'requested'}>
          <button type="button" class="button primary compact" disabled={busy()} data-testid="after-sale-approve" onClick={() => void act('approve')}>
            {t('adminAfterSales.approve')}
          </button>
          <button type="button" class="button compact" disabled={busy()} data-testid="after-sale-reject" onClick={() => setRejecting(true)}>
            {t('adminAfterSales.reject')}
          </button>
        </Show>
        <Show when={status() === 'returned'}>
          <button type="button" class="button primary compact" disabled={busy()} data-testid="after-sale-receive" onClick={() => void act('receive-return')}>
            {t('adminAfterSales.receive')}
          </button>
        </Show>
      </div>
      <Show when={rejecting() && status() === 'requested'}>
        <form class="inline-fields" noValidate onSubmit={reject}>
          <input class="input" maxLength={200} placeholder={t('adminAfterSales.rejectReason')} aria-label={t('adminAfterSales.rejectReason')}
            data-testid="after-sale-reject-reason" value={reason()} onInput={(e) => setReason(e.currentTarget.value)} />
          <button type="submit" class="button danger compact" disabled={busy()} data-testid="after-sale-reject-confirm">{t('adminAfterSales.reject')}</button>
        </form>
      </Show>
    </li>
  );
}
