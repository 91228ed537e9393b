import { A, useParams } from '@solidjs/router';
import { createSignal, For, onMount, Show } from 'solid-js';
import { can } from '~/components/AdminFrame';
import { CursorListView } from '~/components/CursorList';
import { DistributionAdminPage } from '~/components/DistributionAdmin';
import { AdminWithdrawalRow } from '~/components/DistributionAdminParts';
import { EmptyNote, StateBadge } from '~/components/DistributionParts';
import { MANUAL_PAYOUT_METHODS } from '~/lib/admin-distribution';
import { api, apiHref, queryString } from '~/lib/api';
import { createCursorList } from '~/lib/cursor-list';
import { createAction } from '~/lib/form';
import { formatFen, formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { PayoutBatchDetail } from '~/lib/types';

/** One payout batch (D8): its totals by state, its items, the CSV for the bank, and 全部标记已打款. */
export default function AdminPayoutBatch() {
  const { t } = useI18n();
  const params = useParams<{ id: string }>();
  return (
    <DistributionAdminPage title={t('adminDist.payouts.title')} tab="payouts" permission="payouts.manage">
      {(me) => <Show when={params.id} keyed>{(id) => <Batch id={id} canReview={can(me().staff, 'withdrawals.review')} />}</Show>}
    </DistributionAdminPage>
  );
}

function Batch(props: { id: string; canReview: boolean }) {
  const { t, tOr, lang } = useI18n();
  const [detail, setDetail] = createSignal<PayoutBatchDetail>();
  const path = `/api/admin/payout-batches/${encodeURIComponent(props.id)}`;
  const items = createCursorList(async (cursor) => {
    const res = await api.get<PayoutBatchDetail>(`${path}${queryString({ cursor })}`);
    if (!cursor) setDetail(res);
    return res;
  });
  onMount(() => void items.reload());
  const action = createAction();
  const [reference, setReference] = createSignal('');
  const [result, setResult] = createSignal<{ paid: number; skipped: number }>();
  function markPaid(e: SubmitEvent) {
    e.preventDefault();
    if (!reference().trim()) return action.setError(t('adminDist.withdrawals.referenceRequired'));
    void action.run(async () => {
      const res = await api.post<{ paid: number; skipped: unknown[] }>(`${path}/mark-paid`, { reference: reference().trim() });
      setResult({ paid: res.paid, skipped: res.skipped.length });
      await items.reload();
    });
  }
  return (
    <>
      <p class="small"><A href="/admin/distribution/payouts">‹ {t('adminDist.payouts.title')}</A></p>
      <Show when={detail()} fallback={<Show when={items.error()} fallback={<p class="muted">{t('common.loading')}</p>}>{(e) => <p class="alert">{e().message}</p>}</Show>}>
        {(d) => (
          <section class="card" data-testid="payout-batch" data-id={d().batch.id}>
            <div class="card-head">
              <h1>{d().batch.title}</h1>
              <strong class="price" data-testid="payout-batch-amount">{formatFen(d().batch.amount)}</strong>
            </div>
            <p class="muted small">{tOr(`payoutMethod.${d().batch.method}`, d().batch.method)} · {t('adminDist.payouts.items', { n: d().batch.items })} · {d().batch.createdByName ?? ''} · {formatTime(lang(), d().batch.createdAt)}</p>
            <ul class="tags small" data-testid="payout-batch-status">
              <For each={d().byStatus}>{(s) => <li><StateBadge kind="withdrawal" status={s.status} testid="payout-status-badge" /> {s.items} · {formatFen(s.amount)}</li>}</For>
            </ul>
            <p class="actions">
              <a class="button compact" href={apiHref(`${path}/export.csv`)} download="" data-testid="payout-csv">{t('adminDist.payouts.csv')}</a>
            </p>
            <Show when={MANUAL_PAYOUT_METHODS.includes(d().batch.method)} fallback={<p class="muted small">{t('adminDist.withdrawals.providerPays')}</p>}>
              <form class="inline-form" noValidate onSubmit={markPaid}>
                <input class="input" maxLength={200} placeholder={t('adminDist.withdrawals.referencePlaceholder')} aria-label={t('adminDist.withdrawals.referencePlaceholder')}
                  value={reference()} data-testid="payout-reference" onInput={(e) => setReference(e.currentTarget.value)} />
                <button type="submit" class="button primary compact" disabled={action.busy()} data-testid="payout-mark-paid">{t('adminDist.payouts.markPaid')}</button>
              </form>
            </Show>
            <Show when={result()}>{(r) => <p class="notice small" data-testid="payout-mark-result">{t('adminDist.payouts.markResult', { paid: r().paid, skipped: r().skipped })}</p>}</Show>
            <Show when={action.error()}>{(m) => <p class="alert small" role="alert">{m()}</p>}</Show>
          </section>
        )}
      </Show>
      <CursorListView list={items} testid="payout-items" empty={<EmptyNote text={t('dist.withdrawEmpty')} testid="payout-items-empty" />}>
        {(w) => <AdminWithdrawalRow withdrawal={w} canReview={props.canReview} canPay />}
      </CursorListView>
    </>
  );
}
