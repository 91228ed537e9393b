import { A, useNavigate } from '@solidjs/router';
import { createSignal, For, Match, Show, Switch, type Accessor } from 'solid-js';
import { ShopGate } from '~/components/ShopGate';
import { StorePage } from '~/components/StorePage';
import { COUPONS, CouponSummary, CouponValue } from '~/components/widgets/Coupons';
import '~/components/widgets/widgets.css';
import { api } from '~/lib/api';
import { loginHref } from '~/lib/buyer';
import { createClientData, failedError, readyValue, toApiError } from '~/lib/client-data';
import { useI18n } from '~/lib/i18n-context';
import { pluginPath, type ClaimableCoupon } from '~/lib/plugin-widgets';
import type { Member, ShopInfo } from '~/lib/types';

/** E1 领券中心: the coupons a buyer can claim now, each with 领取 (or why not); guests are asked to sign in. */
export default function CouponCentrePage() {
  return <ShopGate>{(shop) => <CouponCentre shop={shop} />}</ShopGate>;
}

function CouponCentre(props: { shop: Accessor<ShopInfo> }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [member] = createClientData(() => api.get<{ member: Member }>('/api/member/me').then((r) => r.member, () => null));
  const [data, { reload }] = createClientData(() => api.get<{ visible: boolean; templates: ClaimableCoupon[] }>(pluginPath(COUPONS, '/claim-centre')));
  const [busy, setBusy] = createSignal<string>();
  const [message, setMessage] = createSignal<{ id: string; text: string; ok: boolean }>();
  const signedIn = () => !!readyValue(member());

  async function claim(c: ClaimableCoupon) {
    if (!signedIn()) return navigate(loginHref('/coupons'));
    if (busy()) return;
    setBusy(c.id);
    setMessage(undefined);
    try {
      await api.post(pluginPath(COUPONS, `/templates/${encodeURIComponent(c.id)}/claim`));
      setMessage({ id: c.id, text: t('mkt.coupons.claimedOk'), ok: true });
      await reload();
    } catch (e) {
      const error = toApiError(e);
      if (error.code === 'UNAUTHENTICATED' || error.code === 'COUPON_SIGN_IN_REQUIRED') return navigate(loginHref('/coupons'));
      setMessage({ id: c.id, text: error.message, ok: false });
      await reload();
    } finally {
      setBusy(undefined);
    }
  }

  /** 领取, 已领取 (at the limit), 已抢光, 未开始…: the state of the button. */
  const state = (c: ClaimableCoupon): 'claim' | 'claimed' | 'soldOut' | 'unavailable' => {
    if (c.canClaim) return 'claim';
    if ((c.claimed ?? 0) >= c.perMemberLimit) return 'claimed';
    if (c.remaining <= 0) return 'soldOut';
    return 'unavailable';
  };

  return (
    <StorePage title={props.shop().name} narrow>
      <div class="card-head">
        <h1>{t('mkt.coupons.centre')}</h1>
        <A href="/me/coupons" data-testid="coupon-centre-mine">{t('mkt.coupons.mine')} ›</A>
      </div>
      <Show when={member().state === 'ready' && !signedIn()}>
        <p class="alert warn" data-testid="coupon-centre-signin">
          {t('mkt.coupons.guestHint')}{' '}<A href={loginHref('/coupons')} data-testid="coupon-centre-login">{t('mkt.coupons.signIn')}</A>
        </p>
      </Show>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())}>
          {(e) => <p class="alert" role="alert" data-testid="coupon-centre-error">{e().code === 'NOT_FOUND' || e().status === 404 ? t('mkt.coupons.off') : e().message}</p>}
        </Match>
        <Match when={readyValue(data())}>
          {(d) => (
            <Show when={d().templates.length > 0} fallback={<section class="empty" data-testid="coupon-centre-empty"><p class="muted">{t('mkt.coupons.centreEmpty')}</p></section>}>
              <ul class="plain-list coupon-list" data-testid="coupon-centre-list">
                <For each={d().templates}>
                  {(c) => (
                    <li class="coupon-card" classList={{ inactive: state(c) !== 'claim' }} data-testid="coupon-template" data-id={c.id} data-state={state(c)}>
                      <CouponValue terms={c.terms} />
                      <div class="coupon-main">
                        <strong data-testid="coupon-name">{c.name}</strong>
                        <CouponSummary summary={c.summary} />
                        <span class="muted small">{validityText(c, t)}</span>
                        <Show when={message()?.id === c.id}>
                          <span class="small" classList={{ 'stock-out': !message()?.ok }} data-testid="coupon-claim-message">{message()?.text}</span>
                        </Show>
                      </div>
                      <Show when={state(c) === 'claim'} fallback={<span class="badge off" data-testid="coupon-claim-state">{t(`mkt.coupons.state.${state(c)}` as const)}</span>}>
                        <button type="button" class="button primary compact" data-testid="coupon-claim" disabled={busy() === c.id} onClick={() => void claim(c)}>
                          {(c.claimed ?? 0) > 0 ? t('mkt.coupons.claimAgain') : t('mkt.coupons.claim')}
                        </button>
                      </Show>
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

function validityText(c: ClaimableCoupon, t: ReturnType<typeof useI18n>['t']): string {
  if (c.validity.type === 'relative') return t('mkt.coupons.validDays', { n: c.validity.days });
  const day = (ms: number) => new Date(ms).toLocaleDateString();
  return t('mkt.coupons.validRange', { from: day(c.validity.startsAt), to: day(c.validity.endsAt) });
}
