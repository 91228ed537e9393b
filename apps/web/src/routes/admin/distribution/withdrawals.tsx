import { createEffect, createSignal, on } from 'solid-js';
import { can } from '~/components/AdminFrame';
import { CursorListView } from '~/components/CursorList';
import { DistributionAdminPage } from '~/components/DistributionAdmin';
import { AdminWithdrawalRow } from '~/components/DistributionAdminParts';
import { ButtonTabs, EmptyNote } from '~/components/DistributionParts';
import { api, queryString } from '~/lib/api';
import { createCursorList, type CursorPage } from '~/lib/cursor-list';
import { useI18n } from '~/lib/i18n-context';
import type { AdminWithdrawal } from '~/lib/types';

const TABS = ['pending', 'approved', 'paid', 'rejected', 'failed', 'all'] as const;
type Tab = (typeof TABS)[number];

/** D9: the withdrawal queue: requests to review, approved payouts to pay, and what became of the rest. */
export default function AdminWithdrawals() {
  const { t } = useI18n();
  return (
    <DistributionAdminPage title={t('adminDist.withdrawals.title')} tab="withdrawals" permission="withdrawals.review">
      {(me) => <Queue canPay={can(me().staff, 'payouts.manage')} />}
    </DistributionAdminPage>
  );
}

function Queue(props: { canPay: boolean }) {
  const { t, tOr } = useI18n();
  const [tab, setTab] = createSignal<Tab>('pending');
  // 待打款 covers both approved and paying (a payout that started and has no answer yet).
  const statuses = () => (tab() === 'all' ? undefined : tab() === 'approved' ? 'approved,paying' : tab());
  const list = createCursorList((cursor) => api.get<CursorPage<AdminWithdrawal>>(`/api/admin/withdrawals${queryString({ status: statuses(), cursor })}`));
  createEffect(on(tab, () => void list.reload()));
  return (
    <>
      <h1>{t('adminDist.withdrawals.title')}</h1>
      <ButtonTabs tabs={TABS} active={tab()} testid="withdrawals-tab" onChange={setTab} label={(k) => (k === 'all' ? t('dist.all') : tOr(`withdrawalStatus.${k}`, k))} />
      <CursorListView list={list} testid="admin-withdrawals" empty={<EmptyNote text={t('dist.withdrawEmpty')} testid="admin-withdrawals-empty" />}>
        {(w) => <AdminWithdrawalRow withdrawal={w} canReview canPay={props.canPay} />}
      </CursorListView>
    </>
  );
}
