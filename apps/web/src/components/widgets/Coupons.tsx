import { A } from '@solidjs/router';
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { api, queryString } from '~/lib/api';
import { toApiError } from '~/lib/client-data';
import { formatFen, formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import { inLang, pluginPath, routeLines, storeChoice, type ClaimableCoupon, type MyCoupons, type UsableCoupons } from '~/lib/plugin-widgets';
import type { WidgetProps } from '../PluginSlot';

/** Coupons (PRODUCT E1) on the storefront: the claim centre's entry, a product's coupons, the picker, my coupons. */

/** The coupons plugin's id: its routes live under /api/plugins/coupons (the /coupons pages use it). */
export const COUPONS = 'coupons';

/** 满100减20 in the buyer's language. */
export function CouponSummary(props: { summary: { zh: string; en: string } }) {
  const { lang } = useI18n();
  return <span class="small" data-testid="coupon-summary">{inLang(props.summary, lang())}</span>;
}

/** Home banner: a link to the claim centre. */
export function CouponClaimCentreEntry(_props: WidgetProps) {
  const { t } = useI18n();
  return (
    <A href="/coupons" class="widget-entry coupon-entry" data-testid="coupon-centre-entry">
      <span class="widget-entry-icon" aria-hidden="true">券</span>
      <span class="widget-entry-text">
        <strong>{t('mkt.coupons.centre')}</strong>
        <span class="muted small">{t('mkt.coupons.centreHint')}</span>
      </span>
      <span aria-hidden="true">›</span>
    </A>
  );
}

/** The value of a coupon in big type: ¥20 or 8.5折. */
export function CouponValue(props: { terms: ClaimableCoupon['terms'] }) {
  const { t } = useI18n();
  const value = () => {
    const terms = props.terms;
    if (terms.kind === 'percent') return t('mkt.coupons.percentValue', { n: ((10000 - (terms.percentOffBps ?? 0)) / 1000).toString(), p: ((terms.percentOffBps ?? 0) / 100).toString() });
    return formatFen(terms.amountOff ?? 0).replace(/\.00$/, '');
  };
  return <span class="coupon-value" data-testid="coupon-value">{value()}</span>;
}

/** Product page: the coupons covering this product (at most `props.limit`), each with 领取. */
export function ProductCouponStrip(props: WidgetProps) {
  const { t, lang } = useI18n();
  const [templates, setTemplates] = createSignal<ClaimableCoupon[]>([]);
  const [busy, setBusy] = createSignal<string>();
  const [error, setError] = createSignal<string>();
  const limit = () => (typeof props.props.limit === 'number' ? props.props.limit : 3);

  async function load() {
    if (!props.ctx.productId) return;
    try {
      const r = await api.get<{ templates: ClaimableCoupon[] }>(pluginPath(props.pluginId, `/claim-centre${queryString({ productId: props.ctx.productId, categoryId: props.ctx.categoryId })}`));
      setTemplates(r.templates);
    } catch {
      setTemplates([]);
    }
  }
  createEffect(on(() => props.ctx.productId, () => void load()));

  async function claim(c: ClaimableCoupon) {
    if (busy()) return;
    setBusy(c.id);
    setError(undefined);
    try {
      await api.post(pluginPath(props.pluginId, `/templates/${encodeURIComponent(c.id)}/claim`));
      await load();
    } catch (e) {
      const apiError = toApiError(e);
      setError(apiError.code === 'UNAUTHENTICATED' || apiError.code === 'COUPON_SIGN_IN_REQUIRED' ? t('mkt.coupons.signInToClaim') : apiError.message);
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <Show when={templates().length > 0}>
      <div class="coupon-strip" data-testid="product-coupons">
        <span class="coupon-strip-label">{t('mkt.coupons.strip')}</span>
        <ul class="coupon-strip-list">
          <For each={templates().slice(0, limit())}>
            {(c) => (
              <li class="coupon-chip" data-testid="product-coupon" data-id={c.id}>
                <span>{inLang(c.summary, lang())}</span>
                <Show when={c.canClaim} fallback={<span class="muted small">{(c.claimed ?? 0) > 0 ? t('mkt.coupons.claimed') : t('mkt.coupons.unavailable')}</span>}>
                  <button type="button" class="link" data-testid="product-coupon-claim" disabled={busy() === c.id} onClick={() => void claim(c)}>
                    {t('mkt.coupons.claim')}
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ul>
        <A href="/coupons" class="small" data-testid="product-coupons-more">{t('mkt.coupons.more')}</A>
        <Show when={error()}>{(m) => <p class="alert small" role="alert" data-testid="product-coupon-error">{m()}</p>}</Show>
      </div>
    </Show>
  );
}

/**
 * Cart and checkout: the member's coupons against the cart (POST /usable), usable first, with
 * what each takes off; the buyer picks one or none. At checkout the pick goes into
 * `choices.coupons` (the preview re-prices); in the cart it is kept for the checkout.
 */
export function CouponPicker(props: WidgetProps) {
  const { t, lang } = useI18n();
  const [usable, setUsable] = createSignal<UsableCoupons>();
  const [open, setOpen] = createSignal(false);

  const lineKey = () => JSON.stringify(routeLines(props.ctx.lines ?? []));
  createEffect(on(lineKey, async (key) => {
    const lines = JSON.parse(key) as unknown[];
    if (lines.length === 0) return setUsable(undefined);
    try {
      setUsable(await api.post<UsableCoupons>(pluginPath(props.pluginId, '/usable'), { lines }));
    } catch {
      setUsable(undefined);
    }
  }));

  /** What is chosen: the buyer's choice, else what the price applied (the plugin's own pick). */
  const chosenId = (): string | null | undefined => {
    const choice = props.ctx.choices?.[props.pluginId] as { memberCouponId?: string | null } | undefined;
    if (choice && 'memberCouponId' in choice) return choice.memberCouponId ?? null;
    const applied = (props.ctx.offers ?? []).find((o) => o.pluginId === props.pluginId && o.ref);
    return applied?.ref ?? (props.ctx.mode === 'cart' ? usable()?.bestId ?? null : null);
  };
  const applied = () => (props.ctx.offers ?? []).filter((o) => o.pluginId === props.pluginId).reduce((n, o) => n + o.amount, 0);
  const usableCount = () => usable()?.coupons.filter((c) => c.usable).length ?? 0;

  function choose(id: string | null) {
    const choice = { memberCouponId: id };
    storeChoice(props.pluginId, choice);
    props.ctx.setChoice?.(props.pluginId, choice);
    setOpen(false);
  }

  const summary = () => {
    const id = chosenId();
    const coupon = usable()?.coupons.find((c) => c.id === id);
    if (props.ctx.mode === 'checkout' && applied() > 0) return `-${formatFen(applied())}`;
    if (coupon) return `${inLang(coupon.summary, lang())} -${formatFen(coupon.discount)}`;
    return usableCount() > 0 ? t('mkt.coupons.nUsable', { n: usableCount() }) : t('mkt.coupons.noneUsable');
  };

  return (
    <Show when={usable() && usable()!.coupons.length > 0}>
      <div class="coupon-picker" data-testid="coupon-picker" data-mode={props.ctx.mode ?? ''} data-chosen={chosenId() ?? ''}>
        <button type="button" class="coupon-picker-head" data-testid="coupon-picker-toggle" aria-expanded={open()} onClick={() => setOpen(!open())}>
          <span>{t('mkt.coupons.picker')}</span>
          <span class="coupon-picker-summary" classList={{ discount: applied() > 0 || !!chosenId() }} data-testid="coupon-picker-summary">{summary()} ›</span>
        </button>
        <Show when={open()}>
          <ul class="coupon-options" role="radiogroup" aria-label={t('mkt.coupons.picker')}>
            <For each={usable()!.coupons}>
              {(c) => (
                <li>
                  <label class="coupon-option" classList={{ selected: chosenId() === c.id, disabled: !c.usable }} data-testid="coupon-option" data-id={c.id} data-usable={c.usable ? 'yes' : 'no'}>
                    <input type="radio" name="coupon" checked={chosenId() === c.id} disabled={!c.usable} onChange={() => choose(c.id)} />
                    <span class="coupon-option-main">
                      <strong>{c.name}</strong>
                      <span class="small">{inLang(c.summary, lang())}</span>
                      <span class="muted small">{t('mkt.coupons.expires', { time: formatTime(lang(), c.expiresAt) })}</span>
                      <Show when={!c.usable && c.problem}>{(p) => <span class="small stock-out">{t(problemKey(p()))}</span>}</Show>
                    </span>
                    <Show when={c.usable}><span class="discount">-{formatFen(c.discount)}</span></Show>
                  </label>
                </li>
              )}
            </For>
            <li>
              <label class="coupon-option" classList={{ selected: chosenId() === null }} data-testid="coupon-option-none">
                <input type="radio" name="coupon" checked={chosenId() === null} onChange={() => choose(null)} />
                <span class="coupon-option-main"><strong>{t('mkt.coupons.useNone')}</strong></span>
              </label>
            </li>
          </ul>
          <Show when={props.ctx.mode === 'cart'}><p class="muted small">{t('mkt.coupons.cartNote')}</p></Show>
        </Show>
      </div>
    </Show>
  );
}

/** Why a coupon does not fit the cart. */
function problemKey(code: string) {
  switch (code) {
    case 'COUPON_THRESHOLD_NOT_MET': return 'mkt.coupons.problem.threshold' as const;
    case 'COUPON_NOT_APPLICABLE': return 'mkt.coupons.problem.scope' as const;
    case 'COUPON_NOT_STARTED': return 'mkt.coupons.problem.notStarted' as const;
    case 'COUPON_EXPIRED': return 'mkt.coupons.problem.expired' as const;
    default: return 'mkt.coupons.unavailable' as const;
  }
}

/** Member centre: 我的优惠券 with how many are available. */
export function MyCouponsEntry(props: WidgetProps) {
  const { t } = useI18n();
  const [count, setCount] = createSignal<number>();
  createEffect(on(() => props.pluginId, async (id) => {
    try {
      const mine = await api.get<MyCoupons>(pluginPath(id, '/mine?status=available'));
      setCount(mine.counts.available);
    } catch {
      setCount(undefined);
    }
  }));
  return (
    <A href="/me/coupons" class="widget-entry" data-testid="my-coupons-entry">
      <span class="widget-entry-icon" aria-hidden="true">券</span>
      <span class="widget-entry-text"><strong>{t('mkt.coupons.mine')}</strong></span>
      <Show when={count() !== undefined}>
        <span class="muted small" data-testid="my-coupons-count" data-count={count()}>{t('mkt.coupons.nAvailable', { n: count() ?? 0 })}</span>
      </Show>
      <span aria-hidden="true">›</span>
    </A>
  );
}
