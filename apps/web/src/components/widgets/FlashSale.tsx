import { A } from '@solidjs/router';
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { api, queryString } from '~/lib/api';
import { formatFen } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import { countdownParts, createServerClock, pluginPath, type FlashActivity, type FlashList, type FlashMine } from '~/lib/plugin-widgets';
import type { WidgetProps } from '../PluginSlot';

/** Flash sales (PRODUCT E4) on the storefront: the home banner and the product page's countdown. */

/** 02:03:04, or 1天 02:03:04. */
export function Countdown(props: { ms: number; testid?: string }) {
  const { t } = useI18n();
  const parts = () => countdownParts(props.ms);
  return (
    <span class="countdown" data-testid={props.testid ?? 'countdown'} data-ms={Math.max(0, Math.round(props.ms / 1000) * 1000)}>
      <Show when={parts().days > 0}>{t('mkt.flash.days', { n: parts().days })} </Show>
      <b>{parts().hh}</b>:<b>{parts().mm}</b>:<b>{parts().ss}</b>
    </span>
  );
}

/**
 * Reads the public sales list, keeps the server's clock, and reads it again when a countdown
 * reaches zero (a sale starts or ends).
 */
function useFlashList(pluginId: () => string, query: () => string | null) {
  const clock = createServerClock();
  const [list, setList] = createSignal<FlashActivity[]>([]);
  const [loaded, setLoaded] = createSignal(false);
  let refetching = false;
  async function load() {
    const q = query();
    if (q === null) return;
    try {
      const r = await api.get<FlashList>(pluginPath(pluginId(), `/activities${q}`));
      clock.sync(r.serverTime);
      setList(r.activities.filter((a) => a.phase !== 'ended'));
    } catch {
      setList([]);
    } finally {
      setLoaded(true);
      refetching = false;
    }
  }
  createEffect(on(query, () => void load()));
  /** The moment that matters for a sale: its end when live, its start when upcoming. */
  const target = (a: FlashActivity) => (a.phase === 'live' ? a.endsAt : a.startsAt);
  createEffect(() => {
    const now = clock.now();
    if (!refetching && list().some((a) => target(a) <= now)) {
      refetching = true;
      // A second late, so the server surely sees the new phase.
      setTimeout(() => void load(), 1000);
    }
  });
  return { list, loaded, clock, target, reload: load };
}

/** Home: live sales (ends in …) and upcoming ones (starts in …), each SKU with its flash price. */
export function FlashSaleBanner(props: WidgetProps) {
  const { t } = useI18n();
  const flash = useFlashList(() => props.pluginId, () => '');
  return (
    <Show when={flash.list().length > 0}>
      <section class="flash-banner" data-testid="flash-banner">
        <For each={flash.list()}>
          {(a) => (
            <div class="flash-activity" data-testid="flash-activity" data-id={a.id} data-phase={a.phase}>
              <div class="flash-head">
                <strong class="flash-title">{t('mkt.flash.title')} · {a.name}</strong>
                <span class="flash-when">
                  {a.phase === 'live' ? t('mkt.flash.endsIn') : t('mkt.flash.startsIn')}{' '}
                  <Countdown ms={flash.target(a) - flash.clock.now()} testid="flash-banner-countdown" />
                </span>
              </div>
              <ul class="flash-entries">
                <For each={a.entries}>
                  {(e) => (
                    <li>
                      <A href={`/product/${e.productId}`} class="flash-entry" data-testid="flash-entry" data-sku={e.skuId}>
                        <span class="price" data-testid="flash-entry-price">{formatFen(e.flashPrice)}</span>
                        <span class="muted small">
                          {e.soldOut ? t('mkt.flash.soldOut') : t('mkt.flash.remaining', { n: e.remaining })}
                        </span>
                      </A>
                    </li>
                  )}
                </For>
              </ul>
            </div>
          )}
        </For>
      </section>
    </Show>
  );
}

/**
 * Product page, under the price: the product's sale — flash price, units left, the per-member
 * limit (with what this buyer may still buy when signed in) and the countdown. Nothing when the
 * product is in no sale.
 */
export function FlashSaleCountdown(props: WidgetProps) {
  const { t } = useI18n();
  const flash = useFlashList(() => props.pluginId, () => (props.ctx.productId ? queryString({ productId: props.ctx.productId }) : null));
  const activity = () => flash.list()[0];
  const [mine, setMine] = createSignal<FlashMine>();
  createEffect(on(() => activity()?.id, async (id) => {
    setMine(undefined);
    if (!id) return;
    try {
      setMine(await api.get<FlashMine>(pluginPath(props.pluginId, `/activities/${encodeURIComponent(id)}/mine`)));
    } catch {
      /* a guest: no allowance to show */
    }
  }));
  return (
    <Show when={activity()}>
      {(a) => (
        <section class="flash-countdown" data-testid="flash-countdown" data-phase={a().phase} data-id={a().id}>
          <div class="flash-head">
            <strong class="flash-title">{a().phase === 'live' ? t('mkt.flash.live') : t('mkt.flash.upcoming')}</strong>
            <span class="flash-when">
              {a().phase === 'live' ? t('mkt.flash.endsIn') : t('mkt.flash.startsIn')}{' '}
              <Countdown ms={flash.target(a()) - flash.clock.now()} testid="flash-countdown-timer" />
            </span>
          </div>
          <For each={a().entries}>
            {(e) => {
              const my = () => mine()?.entries.find((m) => m.entryId === e.id);
              return (
                <div class="flash-line" data-testid="flash-sku" data-sku={e.skuId}>
                  <span class="price big" data-testid="flash-price" data-fen={e.flashPrice}>{formatFen(e.flashPrice)}</span>
                  <span class="small">{e.soldOut ? t('mkt.flash.soldOut') : t('mkt.flash.remaining', { n: e.remaining })}</span>
                  <span class="muted small" data-testid="flash-limit">
                    {t('mkt.flash.limit', { n: e.limitPerMember })}
                    <Show when={my()}>{(m) => <> · {t('mkt.flash.canBuy', { n: m().canBuy })}</>}</Show>
                  </span>
                </div>
              );
            }}
          </For>
          <Show when={!mine() && a().phase === 'live'}><p class="muted small">{t('mkt.flash.signInForPrice')}</p></Show>
        </section>
      )}
    </Show>
  );
}
