import { A } from '@solidjs/router';
import { createSignal, For, Match, Show, Switch, type Accessor } from 'solid-js';
import { ShopGate } from '~/components/ShopGate';
import { StorePage } from '~/components/StorePage';
import { COUPONS, CouponSummary, CouponValue } from '~/components/widgets/Coupons';
import '~/components/widgets/widgets.css';
import { api } from '~/lib/api';
import { createMemberData, shownError } from '~/lib/buyer';
import { failedError, readyValue } from '~/lib/client-data';
import { formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import { pluginPath, type MemberCouponStatus, type MyCoupons } from '~/lib/plugin-widgets';
import type { ShopInfo } from '~/lib/types';

/** E1 我的优惠券: available / used / expired tabs with counts (a coupon held by an unpaid order shows under 可用 as 使用中). */
export default function MyCouponsPage() {
  return <ShopGate>{(shop) => <MyCouponsView shop={shop} />}</ShopGate>;
}

const TABS = ['available', 'used', 'expired'] as const;
type Tab = (typeof TABS)[number];

function MyCouponsView(props: { shop: Accessor<ShopInfo> }) {
  const { t, lang } = useI18n();
  const [tab, setTab] = createSignal<Tab>('available');
  const load = async () => {
    const status: Tab = tab();
    const main = await api.get<MyCoupons>(pluginPath(COUPONS, `/mine?status=${status}`));
    // Held by a placed, unpaid order: shown with the available ones, marked 使用中.
    const locked = status === 'available' && main.counts.locked > 0 ? (await api.get<MyCoupons>(pluginPath(COUPONS, '/mine?status=locked'))).coupons : [];
    return { ...main, coupons: [...main.coupons, ...locked] };
  };
  const [data, { reload }] = createMemberData(load);
  const pick = (next: Tab) => {
    setTab(next);
    void reload();
  };
  const count = (status: MemberCouponStatus) => readyValue(data())?.counts[status];

  return (
    <StorePage title={props.shop().name} narrow>
      <div class="card-head">
        <h1>{t('mkt.coupons.mine')}</h1>
        <A href="/coupons" data-testid="my-coupons-centre">{t('mkt.coupons.centre')} ›</A>
      </div>
      <nav class="tabs" data-testid="my-coupons-tabs">
        <For each={TABS}>
          {(key) => (
            <a href="#" role="tab" classList={{ active: tab() === key }} aria-selected={tab() === key} data-testid={`my-coupons-tab-${key}`}
              onClick={(e) => { e.preventDefault(); pick(key); }}>
              {t(`mkt.coupons.tab.${key}` as const)}
              <Show when={count(key)}>{(n) => <> ({n()})</>}</Show>
            </a>
          )}
        </For>
      </nav>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={shownError(failedError(data()))}>
          {(e) => <p class="alert" role="alert">{e().status === 404 ? t('mkt.coupons.off') : e().message} <button type="button" class="link" onClick={() => void reload()}>{t('common.retry')}</button></p>}
        </Match>
        <Match when={readyValue(data())}>
          {(d) => (
            <Show when={d().coupons.length > 0} fallback={
              <section class="empty" data-testid="my-coupons-empty">
                <p class="muted">{t('mkt.coupons.mineEmpty')}</p>
                <A class="button primary" href="/coupons">{t('mkt.coupons.goClaim')}</A>
              </section>
            }>
              <ul class="plain-list coupon-list" data-testid="my-coupons-list" data-tab={d().status}>
                <For each={d().coupons}>
                  {(c) => (
                    <li class="coupon-card" classList={{ inactive: c.status !== 'available' }} data-testid="my-coupon" data-id={c.id} data-status={c.status}>
                      <CouponValue terms={c.terms} />
                      <div class="coupon-main">
                        <strong>{c.name}</strong>
                        <CouponSummary summary={c.summary} />
                        <span class="muted small">
                          {c.status === 'used' && c.usedAt !== null
                            ? t('mkt.coupons.usedAt', { time: formatTime(lang(), c.usedAt) })
                            : t('mkt.coupons.expires', { time: formatTime(lang(), c.expiresAt) })}
                        </span>
                      </div>
                      <Switch>
                        <Match when={c.status === 'available'}><A href="/" class="button compact" data-testid="my-coupon-use">{t('mkt.coupons.use')}</A></Match>
                        <Match when={c.status === 'locked'}><span class="badge" data-testid="my-coupon-state">{t('mkt.coupons.status.locked')}</span></Match>
                        <Match when={c.status === 'used'}>
                          <Show when={c.orderId} fallback={<span class="badge off" data-testid="my-coupon-state">{t('mkt.coupons.status.used')}</span>}>
                            {(orderId) => <A href={`/orders/${orderId()}`} class="badge off" data-testid="my-coupon-state">{t('mkt.coupons.status.used')}</A>}
                          </Show>
                        </Match>
                        <Match when={c.status === 'expired'}><span class="badge off" data-testid="my-coupon-state">{t('mkt.coupons.status.expired')}</span></Match>
                      </Switch>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Match>
      </Switch>
    </StorePage>
  );
}
