import { createSignal, For, Match, onMount, Show, Switch, type Accessor } from 'solid-js';
import { CursorListView } from '~/components/CursorList';
import { ShopGate } from '~/components/ShopGate';
import { StorePage } from '~/components/StorePage';
import '~/components/widgets/widgets.css';
import { api, queryString } from '~/lib/api';
import { createMemberData, shownError } from '~/lib/buyer';
import { createClientData, failedError, readyValue, toApiError } from '~/lib/client-data';
import { createCursorList } from '~/lib/cursor-list';
import { formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import { pluginPath, type PointsEntry, type PointsGoods, type PointsMe } from '~/lib/plugin-widgets';
import type { ShopInfo } from '~/lib/types';

/** The points plugin's id: its routes live under /api/plugins/points. */
const POINTS = 'points';

/** E2 我的积分: the balance, the ledger (by cursor), and the points mall with 兑换. */
export default function PointsPage() {
  return <ShopGate>{(shop) => <PointsView shop={shop} />}</ShopGate>;
}

function PointsView(props: { shop: Accessor<ShopInfo> }) {
  const { t, tOr, lang } = useI18n();
  const [me, meActions] = createMemberData(() => api.get<PointsMe>(pluginPath(POINTS, '/me?limit=1')));
  const ledger = createCursorList<PointsEntry>(async (cursor) => {
    const page = await api.get<PointsMe>(pluginPath(POINTS, `/me${queryString({ cursor, limit: 20 })}`));
    return { items: page.entries, nextCursor: page.nextCursor };
  });
  onMount(() => void ledger.reload());
  const [goods, goodsActions] = createClientData(async () => (await api.get<{ goods: PointsGoods[] }>(pluginPath(POINTS, '/goods'))).goods);
  const [busy, setBusy] = createSignal<string>();
  const [message, setMessage] = createSignal<{ id: string; text: string; ok: boolean }>();

  async function redeem(g: PointsGoods) {
    if (busy()) return;
    if (!window.confirm(t('mkt.points.redeemConfirm', { name: g.name, n: g.pointsPrice }))) return;
    setBusy(g.id);
    setMessage(undefined);
    try {
      await api.post(pluginPath(POINTS, `/goods/${encodeURIComponent(g.id)}/redeem`));
      setMessage({ id: g.id, text: t('mkt.points.redeemed'), ok: true });
      await Promise.all([meActions.reload(), goodsActions.reload(), ledger.reload()]);
    } catch (e) {
      setMessage({ id: g.id, text: toApiError(e).message, ok: false });
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <StorePage title={props.shop().name} narrow>
      <h1>{t('mkt.points.mine')}</h1>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={shownError(failedError(me()))}>
          {(e) => <p class="alert" role="alert">{e().status === 404 ? t('mkt.points.off') : e().message}</p>}
        </Match>
        <Match when={readyValue(me())}>
          {(m) => (
            <>
              <section class="card points-head" data-testid="points-account">
                <div class="muted small">{t('mkt.points.balance')}</div>
                <div class="points-big" data-testid="points-page-balance" data-points={m().account.balance}>{m().account.balance}</div>
                <p class="muted small">
                  {t('mkt.points.pending', { n: m().account.pending })} · {t('mkt.points.lifetime', { earned: m().account.lifetimeEarned, spent: m().account.lifetimeSpent })}
                  <Show when={m().account.debt > 0}> · {t('mkt.points.debt', { n: m().account.debt })}</Show>
                </p>
              </section>

              <section class="card" data-testid="points-mall">
                <h2>{t('mkt.points.mall')}</h2>
                <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
                  <Match when={failedError(goods())}>{(e) => <p class="alert">{e().message}</p>}</Match>
                  <Match when={readyValue(goods())?.length === 0}><p class="muted" data-testid="points-mall-empty">{t('mkt.points.mallEmpty')}</p></Match>
                  <Match when={readyValue(goods())}>
                    {(list) => (
                      <ul class="goods-grid">
                        <For each={list()}>
                          {(g) => (
                            <li class="goods-card" data-testid="points-goods" data-id={g.id}>
                              <Show when={g.imageUrl}>{(src) => <img src={src()} alt="" loading="lazy" />}</Show>
                              <strong>{g.name}</strong>
                              <span class="price">{t('mkt.points.pointsN', { n: g.pointsPrice })}</span>
                              <span class="muted small">{t('mkt.points.stock', { n: g.stock })}</span>
                              <button type="button" class="button primary compact" data-testid="points-redeem"
                                disabled={busy() === g.id || g.canRedeem === false || m().account.balance < g.pointsPrice}
                                onClick={() => void redeem(g)}>
                                {g.stock <= 0 ? t('mkt.points.soldOut') : m().account.balance < g.pointsPrice ? t('mkt.points.notEnough') : t('mkt.points.redeem')}
                              </button>
                              <Show when={message()?.id === g.id}>
                                <span class="small" classList={{ 'stock-out': !message()?.ok }} data-testid="points-redeem-message">{message()?.text}</span>
                              </Show>
                            </li>
                          )}
                        </For>
                      </ul>
                    )}
                  </Match>
                </Switch>
              </section>

              <section class="card">
                <h2>{t('mkt.points.ledger')}</h2>
                <CursorListView list={ledger} testid="points-ledger" empty={<p class="muted">{t('mkt.points.ledgerEmpty')}</p>}>
                  {(entry) => (
                    <li class="ledger-row" data-testid="points-entry" data-kind={entry.kind}>
                      <span>
                        <span>{tOr(`mkt.points.kind.${String(entry.kind)}`, String(entry.kind))}</span>
                        <Show when={typeof entry.note === 'string' && entry.note}>{(note) => <span class="muted small"> · {note()}</span>}</Show>
                        <br /><span class="muted small">{formatTime(lang(), entry.createdAt)}</span>
                      </span>
                      <span class={entry.delta >= 0 ? 'plus' : 'minus'}>{entry.delta >= 0 ? `+${entry.delta}` : entry.delta}</span>
                    </li>
                  )}
                </CursorListView>
              </section>
            </>
          )}
        </Match>
      </Switch>
    </StorePage>
  );
}
