import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { api, queryString } from '~/lib/api';
import { useI18n } from '~/lib/i18n-context';
import { createServerClock, inLang, pluginPath, routeLines, type CampaignProgressRow, type CampaignTag, type LiveCampaign } from '~/lib/plugin-widgets';
import type { WidgetProps } from '../PluginSlot';
import { Countdown } from './FlashSale';

/** Campaigns (满减, discounts, gifts — PRODUCT E3) on the storefront. */

/** Home: the live campaigns, each with its terms and the time left. */
export function CampaignBanner(props: WidgetProps) {
  const { t, lang } = useI18n();
  const clock = createServerClock();
  const [campaigns, setCampaigns] = createSignal<LiveCampaign[]>([]);
  createEffect(on(() => props.pluginId, async (id) => {
    try {
      const r = await api.get<{ campaigns: LiveCampaign[]; serverTime?: number }>(pluginPath(id, '/active'));
      if (typeof r.serverTime === 'number') clock.sync(r.serverTime);
      setCampaigns(r.campaigns);
    } catch {
      setCampaigns([]);
    }
  }));
  return (
    <Show when={campaigns().length > 0}>
      <section class="campaign-banner" data-testid="campaign-banner">
        <For each={campaigns().slice(0, 3)}>
          {(c) => (
            <div class="campaign-row" data-testid="campaign" data-id={c.id}>
              <span class="badge">{c.name}</span>{' '}
              <span>{inLang(c.summary, lang())}</span>
              <span class="muted small"> {t('mkt.campaign.endsIn')} <Countdown ms={c.endsAt - clock.now()} testid="campaign-countdown" /></span>
            </div>
          )}
        </For>
      </section>
    </Show>
  );
}

/** Product page: the campaigns this product takes part in, as tags (at most `props.limit`). */
export function CampaignTags(props: WidgetProps) {
  const { lang } = useI18n();
  const [tags, setTags] = createSignal<CampaignTag[]>([]);
  const limit = () => (typeof props.props.limit === 'number' ? props.props.limit : 3);
  createEffect(on(() => props.ctx.productId, async (productId) => {
    if (!productId) return;
    try {
      const r = await api.get<{ tags: CampaignTag[] }>(pluginPath(props.pluginId, `/for-product/${encodeURIComponent(productId)}${queryString({ categoryId: props.ctx.categoryId })}`));
      setTags(r.tags);
    } catch {
      setTags([]);
    }
  }));
  return (
    <Show when={tags().length > 0}>
      <div class="campaign-tags" data-testid="campaign-tags">
        <For each={tags().slice(0, limit())}>{(tag) => <span class="badge" data-testid="campaign-tag">{inLang(tag.tag, lang())}</span>}</For>
      </div>
    </Show>
  );
}

/** Cart: how far the cart is from each campaign's next tier ("再买¥23.00可减30"). */
export function CampaignProgress(props: WidgetProps) {
  const { lang } = useI18n();
  const [rows, setRows] = createSignal<CampaignProgressRow[]>([]);
  const lineKey = () => JSON.stringify(routeLines(props.ctx.lines ?? []));
  createEffect(on(lineKey, async (key) => {
    const lines = JSON.parse(key) as unknown[];
    if (lines.length === 0) return setRows([]);
    try {
      setRows((await api.post<{ progress: CampaignProgressRow[] }>(pluginPath(props.pluginId, '/progress'), { lines })).progress);
    } catch {
      setRows([]);
    }
  }));
  return (
    <Show when={rows().length > 0}>
      <ul class="campaign-progress" data-testid="campaign-progress">
        <For each={rows()}>
          {(row) => (
            <li data-testid="campaign-progress-row" data-id={row.campaignId}>
              <span class="badge">{row.name}</span> <span>{inLang(row.message, lang())}</span>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
