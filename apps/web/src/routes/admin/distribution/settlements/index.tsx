import { A } from '@solidjs/router';
import { createSignal, onMount, Show } from 'solid-js';
import { can } from '~/components/AdminFrame';
import { CursorListView } from '~/components/CursorList';
import { DistributionAdminPage } from '~/components/DistributionAdmin';
import { EmptyNote } from '~/components/DistributionParts';
import { api, queryString } from '~/lib/api';
import { createCursorList, type CursorPage } from '~/lib/cursor-list';
import { createAction } from '~/lib/form';
import { formatFen, formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { SettlementRun } from '~/lib/types';

/** D8: the settlement runs, one per closed period, and 立即结算 for the latest closed period. */
export default function AdminSettlements() {
  const { t } = useI18n();
  return (
    <DistributionAdminPage title={t('adminDist.settlements.title')} tab="settlements" permission="commissions.view">
      {(me) => <Settlements canRun={can(me().staff, 'payouts.manage')} />}
    </DistributionAdminPage>
  );
}

function Settlements(props: { canRun: boolean }) {
  const { t, lang } = useI18n();
  const list = createCursorList((cursor) => api.get<CursorPage<SettlementRun>>(`/api/admin/settlements${queryString({ cursor })}`));
  onMount(() => void list.reload());
  const action = createAction();
  const [result, setResult] = createSignal<{ period: string; ran: boolean }>();
  const runNow = () => action.run(async () => {
    setResult(await api.post<{ period: string; ran: boolean }>('/api/admin/settlements/run'));
    await list.reload();
  });
  return (
    <>
      <div class="page-head">
        <h1>{t('adminDist.settlements.title')}</h1>
        <Show when={props.canRun}>
          <button type="button" class="button primary compact" disabled={action.busy()} data-testid="settlement-run" onClick={() => void runNow()}>{t('adminDist.settlements.run')}</button>
        </Show>
      </div>
      <p class="muted small">{t('adminDist.settlements.hint')}</p>
      <Show when={result()}>
        {(r) => <p class="notice" data-testid="settlement-result" data-ran={r().ran ? 'yes' : 'no'}>{r().ran ? t('adminDist.settlements.ran', { period: r().period }) : t('adminDist.settlements.already', { period: r().period })}</p>}
      </Show>
      <Show when={action.error()}>{(m) => <p class="alert" role="alert">{m()}</p>}</Show>
      <CursorListView list={list} testid="settlement-runs" empty={<EmptyNote text={t('adminDist.settlements.empty')} testid="settlement-runs-empty" />}>
        {(run) => (
          <li>
            <A href={`/admin/distribution/settlements/${encodeURIComponent(run.period)}`} class="card plain-link" data-testid="settlement-run-row" data-period={run.period}>
              <div class="card-head">
                <strong class="mono">{run.period}</strong>
                <strong class="price">{formatFen(run.amount)}</strong>
              </div>
              <p class="muted small">{t('adminDist.settlements.line', { n: run.distributors, end: formatTime(lang(), run.periodEnd), at: formatTime(lang(), run.ranAt) })}</p>
            </A>
          </li>
        )}
      </CursorListView>
    </>
  );
}
