import { A, useSearchParams } from '@solidjs/router';
import { createEffect, createSignal, on, Show } from 'solid-js';
import { CursorListView } from '~/components/CursorList';
import { DistributionAdminPage } from '~/components/DistributionAdmin';
import { AdminCommissionRow } from '~/components/DistributionAdminParts';
import { ButtonTabs, EmptyNote } from '~/components/DistributionParts';
import { api, queryString } from '~/lib/api';
import { createCursorList, type CursorPage } from '~/lib/cursor-list';
import { useI18n } from '~/lib/i18n-context';
import type { AdminCommission } from '~/lib/types';

const TABS = ['all', 'pending', 'frozen', 'settled', 'cancelled'] as const;
type Tab = (typeof TABS)[number];

/** D7: every commission line of the shop by state (or of one distributor: `?distributorId=`), newest first. */
export default function AdminCommissions() {
  const { t } = useI18n();
  return (
    <DistributionAdminPage title={t('adminDist.commissions.title')} tab="commissions" permission="commissions.view">
      {() => <Commissions />}
    </DistributionAdminPage>
  );
}

function Commissions() {
  const { t, tOr } = useI18n();
  const [params] = useSearchParams<{ distributorId?: string }>();
  const distributorId = () => (typeof params.distributorId === 'string' ? params.distributorId : undefined);
  const [tab, setTab] = createSignal<Tab>('all');
  const list = createCursorList((cursor) => api.get<CursorPage<AdminCommission>>(
    `/api/admin/commissions${queryString({ status: tab() === 'all' ? undefined : tab(), distributorId: distributorId(), cursor })}`));
  createEffect(on([tab, distributorId], () => void list.reload()));
  return (
    <>
      <h1>{t('adminDist.commissions.title')}</h1>
      <Show when={distributorId()}>
        <p class="notice small">{t('adminDist.commissions.oneDistributor')} <A href="/admin/distribution/commissions">{t('adminDist.commissions.showAll')}</A></p>
      </Show>
      <ButtonTabs tabs={TABS} active={tab()} testid="commissions-tab" onChange={setTab} label={(k) => (k === 'all' ? t('dist.all') : tOr(`commissionStatus.${k}`, k))} />
      <CursorListView list={list} testid="admin-commissions" empty={<EmptyNote text={t('dist.commissionsEmpty')} testid="admin-commissions-empty" />}>
        {(c) => <AdminCommissionRow commission={c} showDistributor />}
      </CursorListView>
    </>
  );
}
