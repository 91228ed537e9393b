import { A, useParams } from '@solidjs/router';
import { createSignal, onMount, Show } from 'solid-js';
import { CursorListView } from '~/components/CursorList';
import { DistributionAdminPage } from '~/components/DistributionAdmin';
import { DistributorLink } from '~/components/DistributionAdminParts';
import { EmptyNote, StatementFigures } from '~/components/DistributionParts';
import { api, queryString } from '~/lib/api';
import { createCursorList } from '~/lib/cursor-list';
import { formatFen, formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { SettlementRun, SettlementRunDetail } from '~/lib/types';

/** One settlement run (D8): its statements, one per distributor: commissions, amount, debt paid off. */
export default function AdminSettlementRun() {
  const { t } = useI18n();
  const params = useParams<{ period: string }>();
  return (
    <DistributionAdminPage title={t('adminDist.settlements.title')} tab="settlements" permission="commissions.view">
      {() => <Show when={params.period} keyed>{(period) => <Statements period={period} />}</Show>}
    </DistributionAdminPage>
  );
}

function Statements(props: { period: string }) {
  const { t, lang } = useI18n();
  const [run, setRun] = createSignal<SettlementRun>();
  const list = createCursorList(async (cursor) => {
    const res = await api.get<SettlementRunDetail>(`/api/admin/settlements/${encodeURIComponent(props.period)}${queryString({ cursor })}`);
    setRun(res.run);
    return res;
  });
  onMount(() => void list.reload());
  return (
    <>
      <p class="small"><A href="/admin/distribution/settlements">‹ {t('adminDist.settlements.title')}</A></p>
      <h1 class="mono">{props.period}</h1>
      <Show when={run()}>
        {(r) => <p class="muted small" data-testid="settlement-summary">{t('adminDist.settlements.line', { n: r().distributors, end: formatTime(lang(), r().periodEnd), at: formatTime(lang(), r().ranAt) })} · {formatFen(r().amount)}</p>}
      </Show>
      <CursorListView list={list} testid="settlement-statements" empty={<EmptyNote text={t('dist.statementsEmpty')} testid="settlement-statements-empty" />}>
        {(s) => (
          <li class="card" data-testid="settlement-statement">
            <div class="card-head">
              <DistributorLink id={s.distributorId} name={s.distributorName} shopName={s.shopName} />
              <strong class="price">{formatFen(s.amount)}</strong>
            </div>
            <StatementFigures commissions={s.commissions} createdAt={s.createdAt} debtPaid={s.debtPaid} />
          </li>
        )}
      </CursorListView>
    </>
  );
}
