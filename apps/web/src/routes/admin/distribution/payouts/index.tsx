import { A, useNavigate } from '@solidjs/router';
import { createEffect, createSignal, For, on, onMount, Show } from 'solid-js';
import { can } from '~/components/AdminFrame';
import { CursorListView } from '~/components/CursorList';
import { DistributionAdminPage } from '~/components/DistributionAdmin';
import { WalletLine } from '~/components/DistributionAdminParts';
import { ButtonTabs, EmptyNote } from '~/components/DistributionParts';
import { api, queryString } from '~/lib/api';
import { createClientData, readyValue } from '~/lib/client-data';
import { createCursorList, type CursorPage } from '~/lib/cursor-list';
import { PAYOUT_METHODS } from '~/lib/distribution';
import { createAction } from '~/lib/form';
import { formatFen, formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { AdminDistributor, PayoutBatch, PayoutMethod, SettlementRun } from '~/lib/types';

/** D8: batch payouts of settled commission: made from a settlement period or from chosen distributors. */
export default function AdminPayouts() {
  const { t } = useI18n();
  return (
    <DistributionAdminPage title={t('adminDist.payouts.title')} tab="payouts" permission="payouts.manage">
      {(me) => <Payouts canPickDistributors={can(me().staff, 'distributors.view')} />}
    </DistributionAdminPage>
  );
}

function Payouts(props: { canPickDistributors: boolean }) {
  const { t, tOr, lang } = useI18n();
  const list = createCursorList((cursor) => api.get<CursorPage<PayoutBatch>>(`/api/admin/payout-batches${queryString({ cursor })}`));
  onMount(() => void list.reload());
  return (
    <>
      <h1>{t('adminDist.payouts.title')}</h1>
      <NewBatch canPickDistributors={props.canPickDistributors} />
      <h2>{t('adminDist.payouts.list')}</h2>
      <CursorListView list={list} testid="payout-batches" empty={<EmptyNote text={t('adminDist.payouts.empty')} testid="payout-batches-empty" />}>
        {(b) => (
          <li>
            <A href={`/admin/distribution/payouts/${encodeURIComponent(b.id)}`} class="card plain-link" data-testid="payout-batch-row" data-id={b.id}>
              <div class="card-head">
                <strong>{b.title}</strong>
                <strong class="price">{formatFen(b.amount)}</strong>
              </div>
              <p class="muted small">{tOr(`payoutMethod.${b.method}`, b.method)} · {t('adminDist.payouts.items', { n: b.items })} · {b.createdByName ?? ''} · {formatTime(lang(), b.createdAt)}</p>
            </A>
          </li>
        )}
      </CursorListView>
    </>
  );
}

const SOURCES = ['period', 'distributors'] as const;

/** A new batch: a title, how it is paid, and whom: a settled period, or distributors picked by hand. */
function NewBatch(props: { canPickDistributors: boolean }) {
  const { t, tOr, lang } = useI18n();
  const navigate = useNavigate();
  const [source, setSource] = createSignal<(typeof SOURCES)[number]>('period');
  const [title, setTitle] = createSignal('');
  const [method, setMethod] = createSignal<PayoutMethod>('offline');
  const [period, setPeriod] = createSignal('');
  const [chosen, setChosen] = createSignal<Set<string>>(new Set());
  const [q, setQ] = createSignal('');
  const [query, setQuery] = createSignal('');
  const [runs] = createClientData(() => api.get<CursorPage<SettlementRun>>('/api/admin/settlements'));
  const candidates = createCursorList((cursor) => api.get<CursorPage<AdminDistributor>>(`/api/admin/distributors${queryString({ status: 'active,disabled', q: query(), cursor })}`));
  createEffect(on([source, query], () => { if (source() === 'distributors') void candidates.reload(); }));
  createEffect(() => {
    const first = readyValue(runs())?.items[0]?.period;
    if (first && !period()) setPeriod(first);
  });
  const action = createAction();
  const toggle = (id: string) => setChosen((prev) => { const next = new Set(prev); if (next.has(id)) next.delete(id); else next.add(id); return next; });

  function create(e: SubmitEvent) {
    e.preventDefault();
    if (!title().trim()) return action.setError(t('adminDist.payouts.titleRequired'));
    if (source() === 'period' && !period()) return action.setError(t('adminDist.payouts.periodRequired'));
    if (source() === 'distributors' && chosen().size === 0) return action.setError(t('adminDist.payouts.distributorsRequired'));
    void action.run(async () => {
      const body = { title: title().trim(), method: method(), ...(source() === 'period' ? { period: period() } : { distributorIds: [...chosen()] }) };
      const res = await api.post<{ batch: PayoutBatch }>('/api/admin/payout-batches', body);
      navigate(`/admin/distribution/payouts/${encodeURIComponent(res.batch.id)}`);
    });
  }

  return (
    <form class="card form" noValidate onSubmit={create} data-testid="payout-new">
      <h2>{t('adminDist.payouts.new')}</h2>
      <div class="field">
        <label for="payout-title">{t('adminDist.payouts.batchTitle')}</label>
        <input id="payout-title" class="input" maxLength={60} value={title()} data-testid="payout-title" onInput={(e) => setTitle(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="payout-method">{t('dist.method')}</label>
        <select id="payout-method" class="input" value={method()} data-testid="payout-method" onChange={(e) => setMethod(e.currentTarget.value as PayoutMethod)}>
          <For each={PAYOUT_METHODS}>{(m) => <option value={m}>{tOr(`payoutMethod.${m}`, m)}</option>}</For>
        </select>
      </div>
      <Show when={props.canPickDistributors}>
        <ButtonTabs tabs={SOURCES} active={source()} testid="payout-source" onChange={setSource} label={(s) => t(`adminDist.payouts.source.${s}`)} />
      </Show>
      <Show when={source() === 'period'}>
        <div class="field">
          <label for="payout-period">{t('adminDist.payouts.period')}</label>
          <select id="payout-period" class="input" value={period()} data-testid="payout-period" onChange={(e) => setPeriod(e.currentTarget.value)}>
            <For each={readyValue(runs())?.items ?? []}>
              {(run) => <option value={run.period}>{run.period} · {formatFen(run.amount)} · {formatTime(lang(), run.periodEnd)}</option>}
            </For>
          </select>
          <Show when={readyValue(runs())?.items.length === 0}><p class="hint">{t('adminDist.settlements.empty')}</p></Show>
        </div>
      </Show>
      <Show when={source() === 'distributors'}>
        <div class="search-row">
          <input class="input" type="search" maxLength={50} placeholder={t('adminDist.distributors.search')} aria-label={t('adminDist.distributors.search')}
            value={q()} onInput={(e) => setQ(e.currentTarget.value)} onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); setQuery(q().trim()); } }} />
          <button type="button" class="button" onClick={() => setQuery(q().trim())}>{t('common.search')}</button>
        </div>
        <p class="muted small">{t('adminDist.payouts.chosen', { n: chosen().size })}</p>
        <CursorListView list={candidates} testid="payout-candidates" empty={<EmptyNote text={t('adminDist.distributors.empty')} testid="payout-candidates-empty" />}>
          {(d) => (
            <li>
              <label class="pick-row" data-testid="payout-candidate" data-id={d.memberId}>
                <input type="checkbox" checked={chosen().has(d.memberId)} data-testid="payout-candidate-check" onChange={() => toggle(d.memberId)} />
                <span class="line-main">{d.shopName} <span class="muted small">{d.nickname ?? d.username}</span></span>
                <WalletLine wallet={d.wallet} />
              </label>
            </li>
          )}
        </CursorListView>
      </Show>
      <p class="hint">{t('adminDist.payouts.hint')}</p>
      <Show when={action.error()}>{(m) => <p class="alert" role="alert" data-testid="payout-error">{m()}</p>}</Show>
      <button type="submit" class="button primary" disabled={action.busy()} data-testid="payout-create">{t('adminDist.payouts.create')}</button>
    </form>
  );
}
