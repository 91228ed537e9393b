import { createEffect, createSignal, on, Show } from 'solid-js';
import { CursorListView } from '~/components/CursorList';
import { DistributorPage } from '~/components/Distribution';
import { ButtonTabs, EmptyNote, StateBadge } from '~/components/DistributionParts';
import { api, queryString } from '~/lib/api';
import { createCursorList, type CursorPage } from '~/lib/cursor-list';
import { rateText } from '~/lib/distribution';
import { formatFen, formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { CommissionItem } from '~/lib/types';

const TABS = ['all', 'pending', 'frozen', 'settled'] as const;
type Tab = (typeof TABS)[number];

/** My commission ledger (D7): every line I earn on, by state, with what refunds took back. */
export default function CommissionsPage() {
  const { t } = useI18n();
  return <DistributorPage title={t('dist.nav.commissions')} testid="commissions-page">{() => <Commissions />}</DistributorPage>;
}

function Commissions() {
  const { t, tOr, lang } = useI18n();
  const [tab, setTab] = createSignal<Tab>('all');
  const list = createCursorList((cursor) =>
    api.get<CursorPage<CommissionItem>>(`/api/distribution/commissions${queryString({ status: tab() === 'all' ? undefined : tab(), cursor })}`));
  createEffect(on(tab, () => void list.reload()));
  return (
    <>
      <ButtonTabs tabs={TABS} active={tab()} testid="commission-tab" onChange={setTab}
        label={(key) => (key === 'all' ? t('dist.all') : tOr(`commissionStatus.${key}`, key))} />
      <CursorListView list={list} testid="commissions" empty={<EmptyNote text={t('dist.commissionsEmpty')} testid="commissions-empty" />}>
        {(c) => (
          <li class="card" data-testid="commission" data-level={c.level} data-status={c.status} data-amount={c.amount} data-reversed={c.reversed}>
            <div class="card-head">
              <strong class="line-title">{c.title}</strong>
              <StateBadge kind="commission" status={c.status} />
            </div>
            <p class="muted small">{t('dist.orderNo', { no: c.order_no })} · {formatTime(lang(), c.created_at)}</p>
            <p class="small">
              {t('dist.commissionLine', { level: c.level, base: formatFen(c.base), rate: rateText(c.rate_mode, c.rate, t('dist.perPiece')) })}
            </p>
            <p>
              <strong class="price" data-testid="commission-amount">{formatFen(c.amount - c.reversed)}</strong>
              <Show when={c.reversed > 0}>
                {' '}<span class="muted small" data-testid="commission-reversed">{t('dist.reversed', { amount: formatFen(c.reversed), of: formatFen(c.amount) })}</span>
              </Show>
            </p>
            <Show when={c.status === 'frozen' && c.settle_after}>
              {(at) => <p class="muted small">{t('dist.settleAfter', { time: formatTime(lang(), at()) })}</p>}
            </Show>
          </li>
        )}
      </CursorListView>
    </>
  );
}
