import { createEffect, createSignal, on, Show } from 'solid-js';
import { can } from '~/components/AdminFrame';
import { CursorListView } from '~/components/CursorList';
import { DistributionAdminPage } from '~/components/DistributionAdmin';
import { DistributorActions, DistributorLink, WalletLine } from '~/components/DistributionAdminParts';
import { ButtonTabs, EmptyNote, StateBadge } from '~/components/DistributionParts';
import { api, queryString } from '~/lib/api';
import { createCursorList, type CursorPage } from '~/lib/cursor-list';
import { formatFen, formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { AdminDistributor, DistributorStatus } from '~/lib/types';

/** D1: applications and distributors by status, searchable, with approve / reject / disable / enable. */
export default function AdminDistributors() {
  const { t } = useI18n();
  return (
    <DistributionAdminPage title={t('adminDist.distributors.title')} tab="distributors" permission="distributors.view">
      {(me) => <DistributorList canManage={can(me().staff, 'distributors.manage')} />}
    </DistributionAdminPage>
  );
}

const TABS = ['pending', 'active', 'disabled', 'rejected', 'all'] as const;

function DistributorList(props: { canManage: boolean }) {
  const { t } = useI18n();
  const [status, setStatus] = createSignal<DistributorStatus | ''>('pending');
  const [q, setQ] = createSignal('');
  const [query, setQuery] = createSignal('');
  const list = createCursorList((cursor) => api.get<CursorPage<AdminDistributor>>(`/api/admin/distributors${queryString({ status: status(), q: query(), cursor })}`));
  createEffect(on([status, query], () => void list.reload()));
  return (
    <>
      <h1>{t('adminDist.distributors.title')}</h1>
      <ButtonTabs tabs={TABS} active={status() || 'all'} testid="distributors-tab" onChange={(s) => setStatus(s === 'all' ? '' : s)}
        label={(s) => (s === 'all' ? t('dist.all') : t(`adminDist.distributors.tab.${s}`))} />
      <form class="search-row" role="search" noValidate onSubmit={(e) => { e.preventDefault(); setQuery(q().trim()); }}>
        <input class="input" type="search" maxLength={50} placeholder={t('adminDist.distributors.search')} aria-label={t('adminDist.distributors.search')}
          value={q()} data-testid="distributors-search" onInput={(e) => setQ(e.currentTarget.value)} />
        <button type="submit" class="button primary">{t('common.search')}</button>
      </form>
      <CursorListView list={list} testid="distributors" empty={<EmptyNote text={t('adminDist.distributors.empty')} testid="distributors-empty" />}>
        {(d) => <DistributorRow distributor={d} canManage={props.canManage} />}
      </CursorListView>
    </>
  );
}

function DistributorRow(props: { distributor: AdminDistributor; canManage: boolean }) {
  const { t, lang } = useI18n();
  // The row keeps the answer of its last action, so the result shows until the list reloads.
  const [d, setD] = createSignal(props.distributor);
  return (
    <li class="card" data-testid="distributor-row" data-id={d().memberId} data-status={d().status}>
      <div class="card-head">
        <strong><DistributorLink id={d().memberId} name={d().nickname ?? d().username} shopName={d().shopName} /></strong>
        <StateBadge kind="distributor" status={d().status} />
      </div>
      <p class="muted small">
        {d().username}
        <Show when={d().inviteCode}>{(code) => <> · {t('dist.inviteCode')} <span class="mono">{code()}</span></>}</Show>
        <Show when={d().grade}>{(g) => <> · <span class="badge">{g().name}</span></>}</Show>
        {' · '}{t('adminDist.appliedAt', { time: formatTime(lang(), d().appliedAt) })}
      </p>
      <Show when={d().status === 'pending' && d().applyNote}><p class="small pre-line">{t('adminDist.applyNote', { note: d().applyNote })}</p></Show>
      <Show when={d().status === 'rejected' && d().rejectReason}>{(r) => <p class="small">{t('dist.reason', { reason: r() })}</p>}</Show>
      <Show when={d().status !== 'pending' && d().status !== 'rejected'}>
        <p class="small">
          {t('dist.teamCounts', { l1: d().directCount, l2: d().teamL2Count, l3: d().teamL3Count })} · {t('dist.sales', { amount: formatFen(d().ownSales) })}
        </p>
        <WalletLine wallet={d().wallet} />
      </Show>
      <DistributorActions distributor={d()} canManage={props.canManage} onChanged={setD} />
    </li>
  );
}

