import { A } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { api } from '~/lib/api';
import { useLoginRedirect } from '~/lib/buyer';
import { toApiError } from '~/lib/client-data';
import { useI18n } from '~/lib/i18n-context';
import type { AfterSaleStatus, OrderStatus } from '~/lib/types';

/** Order states that take an after-sales request (refund: paid too; return/exchange once shipped). */
export const AFTER_SALE_ORDER_STATES: readonly OrderStatus[] = ['paid', 'shipped', 'received'];

/** 待审核 / 待退货 / …: an after-sale's status as a coloured label. */
export function AfterSaleBadge(props: { status: AfterSaleStatus; testid?: string }) {
  const { tOr } = useI18n();
  return (
    <span class={`order-status after-sale-${props.status}`} data-testid={props.testid ?? 'after-sale-status'} data-status={props.status}>
      {tOr(`afterSaleStatus.${props.status}`, props.status)}
    </span>
  );
}

/** The order page's buyer actions after payment: 确认收货 (shipped), 申请售后, 我的售后. */
export function OrderExtras(props: { orderId: string; status: OrderStatus; onChanged: () => Promise<void> }) {
  const { t } = useI18n();
  const toLogin = useLoginRedirect();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();

  async function receive() {
    if (busy() || !window.confirm(t('order.confirmReceive'))) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.post(`/api/orders/${encodeURIComponent(props.orderId)}/receive`);
    } catch (e) {
      const apiError = toApiError(e);
      if (toLogin(apiError)) return;
      setError(apiError.message);
    } finally {
      await props.onChanged();
      setBusy(false);
    }
  }

  return (
    <Show when={props.status !== 'pending_payment'}>
      <Show when={error()}>{(message) => <p class="alert" role="alert" data-testid="order-error">{message()}</p>}</Show>
      <div class="actions">
        <Show when={props.status === 'shipped'}>
          <button type="button" class="button primary" data-testid="order-receive" disabled={busy()} onClick={() => void receive()}>
            {t('order.receive')}
          </button>
        </Show>
        <Show when={AFTER_SALE_ORDER_STATES.includes(props.status)}>
          <A class="button" href={`/orders/${encodeURIComponent(props.orderId)}/after-sale`} data-testid="after-sale-start">{t('order.afterSale')}</A>
        </Show>
        <A class="link small" href="/after-sales" data-testid="after-sales-link">{t('order.myAfterSales')}</A>
      </div>
    </Show>
  );
}

/** 评价 one line of a completed order: 1–5 stars and plain text. */
export function ReviewForm(props: { orderId: string; lineId: string; index: number }) {
  const { t } = useI18n();
  const toLogin = useLoginRedirect();
  const [rating, setRating] = createSignal(5);
  const [text, setText] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [done, setDone] = createSignal(false);
  const [error, setError] = createSignal<string>();

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (busy()) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.post(`/api/orders/${encodeURIComponent(props.orderId)}/lines/${encodeURIComponent(props.lineId)}/review`, { rating: rating(), text: text().trim() });
      setDone(true);
    } catch (err) {
      const apiError = toApiError(err);
      if (toLogin(apiError)) return;
      setError(apiError.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Show when={!done()} fallback={<p class="notice small" data-testid={`review-done-${props.index}`}>{t('order.reviewDone')}</p>}>
      <form class="review-form" noValidate onSubmit={(e) => void submit(e)} data-testid={`review-form-${props.index}`}>
        <label class="small">
          {t('order.reviewRating')}{' '}
          <select class="input compact" value={String(rating())} data-testid={`review-rating-${props.index}`}
            onChange={(e) => setRating(Number(e.currentTarget.value))}>
            <For each={[5, 4, 3, 2, 1]}>{(n) => <option value={String(n)}>{'★'.repeat(n)}</option>}</For>
          </select>
        </label>
        <textarea class="input" rows={2} maxLength={1000} placeholder={t('order.reviewText')} aria-label={t('order.reviewText')}
          data-testid={`review-text-${props.index}`} value={text()} onInput={(e) => setText(e.currentTarget.value)} />
        <Show when={error()}>{(message) => <p class="alert" role="alert">{message()}</p>}</Show>
        <button type="submit" class="button compact" disabled={busy()} data-testid={`review-submit-${props.index}`}>{t('order.reviewSubmit')}</button>
      </form>
    </Show>
  );
}

/** ★★★★☆ for a 1–5 rating. */
export const stars = (rating: number): string => {
  const n = Math.max(0, Math.min(5, Math.round(rating)));
  return '★'.repeat(n) + '☆'.repeat(5 - n);
};
