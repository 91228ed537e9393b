import { onMount } from 'solid-js';
import { CursorListView } from '~/components/CursorList';
import { DistributorPage } from '~/components/Distribution';
import { EmptyNote, StatementFigures } from '~/components/DistributionParts';
import { api } from '~/lib/api';
import { createCursorList, wholeList } from '~/lib/cursor-list';
import { formatFen } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { SettlementStatement } from '~/lib/types';

/** My settlement statements (D8): per period, what settled and how much of it paid off debt. */
export default function StatementsPage() {
  const { t } = useI18n();
  return <DistributorPage title={t('dist.nav.statements')} testid="statements-page">{() => <Statements />}</DistributorPage>;
}

function Statements() {
  const { t } = useI18n();
  const list = createCursorList(async () => wholeList((await api.get<{ items: SettlementStatement[] }>('/api/distribution/statements')).items));
  onMount(() => void list.reload());
  return (
    <CursorListView list={list} testid="statements" empty={<EmptyNote text={t('dist.statementsEmpty')} testid="statements-empty" />}>
      {(s) => (
        <li class="card" data-testid="statement" data-period={s.period}>
          <div class="card-head">
            <strong class="mono">{s.period}</strong>
            <strong class="price" data-testid="statement-amount">{formatFen(s.amount)}</strong>
          </div>
          <StatementFigures commissions={s.commissions} createdAt={s.created_at} debtPaid={s.debt_paid} />
        </li>
      )}
    </CursorListView>
  );
}
