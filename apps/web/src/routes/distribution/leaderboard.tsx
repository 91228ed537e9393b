import { A } from '@solidjs/router';
import { createEffect, createSignal, For, Match, on, Show, Switch, type Accessor } from 'solid-js';
import { Avatar, ButtonTabs, EmptyNote } from '~/components/DistributionParts';
import { ShopGate } from '~/components/ShopGate';
import { StorePage } from '~/components/StorePage';
import { api } from '~/lib/api';
import { createClientData, failedError, readyValue } from '~/lib/client-data';
import { formatFen } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { LeaderboardEntry, LeaderboardPeriod, ShopInfo } from '~/lib/types';

const PERIODS: readonly LeaderboardPeriod[] = ['week', 'month', 'all'];

/** The live sales leaderboard (D10): this week, this month, all time; names masked. */
export default function LeaderboardPage() {
  return <ShopGate>{(shop) => <Leaderboard shop={shop} />}</ShopGate>;
}

function Leaderboard(props: { shop: Accessor<ShopInfo> }) {
  const { t } = useI18n();
  const [period, setPeriod] = createSignal<LeaderboardPeriod>('week');
  const [data, { reload }] = createClientData(() => api.get<{ period: string; items: LeaderboardEntry[] }>(`/api/distribution/leaderboard?period=${period()}`));
  createEffect(on(period, () => void reload(), { defer: true }));
  return (
    <StorePage title={props.shop().name}>
      <p class="small"><A href="/distribution">‹ {t('dist.centre')}</A></p>
      <h1>{t('dist.nav.leaderboard')}</h1>
      <ButtonTabs tabs={PERIODS} active={period()} testid="board-tab" onChange={setPeriod} label={(p) => t(`dist.period.${p}`)} />
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())}>{(e) => <p class="alert">{e().message}</p>}</Match>
        <Match when={readyValue(data())}>
          {(board) => (
            <Show when={board().items.length > 0} fallback={<EmptyNote text={t('dist.boardEmpty')} testid="board-empty" />}>
              <ol class="plain-list" data-testid="leaderboard" data-period={board().period}>
                <For each={board().items}>
                  {(row) => (
                    <li class="card person-row" data-testid="board-row" data-rank={row.rank}>
                      <span class="rank" classList={{ top: row.rank <= 3 }}>{row.rank}</span>
                      <Avatar src={row.avatar} name={row.nickname} small />
                      <div class="line-main">
                        <strong data-testid="board-shop">{row.shopName}</strong>
                        <p class="muted small">{row.nickname}</p>
                      </div>
                      <strong class="price" data-testid="board-sales">{formatFen(row.sales)}</strong>
                    </li>
                  )}
                </For>
              </ol>
            </Show>
          )}
        </Match>
      </Switch>
    </StorePage>
  );
}
