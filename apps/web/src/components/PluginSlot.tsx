import { createSignal, For, onMount, Show, type Component } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import { loadWidgets, type SlotContext, type Widget, type WidgetSlot } from '~/lib/plugin-widgets';
import { CampaignBanner, CampaignProgress, CampaignTags } from './widgets/Campaigns';
import { CouponClaimCentreEntry, CouponPicker, MyCouponsEntry, ProductCouponStrip } from './widgets/Coupons';
import { FlashSaleBanner, FlashSaleCountdown } from './widgets/FlashSale';
import { PointsBalance, PointsOffsetToggle } from './widgets/Points';
import './widgets/widgets.css';

/** What every widget component gets: its plugin, the props its manifest declared, and the slot's context. */
export interface WidgetProps {
  pluginId: string;
  props: Record<string, unknown>;
  ctx: SlotContext;
}

/** The storefront components plugins may name; any other name renders nothing. */
const components: Record<string, Component<WidgetProps>> = {
  CouponClaimCentreEntry,
  ProductCouponStrip,
  CouponPicker,
  MyCouponsEntry,
  FlashSaleBanner,
  FlashSaleCountdown,
  CampaignBanner,
  CampaignTags,
  CampaignProgress,
  PointsBalance,
  PointsOffsetToggle,
};

/**
 * Where plugins show themselves on a storefront page: the widgets the shop's enabled plugins
 * declared for `slot`, in the order they came. Rendered after hydration (the list is read in the
 * browser once per page load), so server and client markup agree.
 */
export function PluginSlot(props: { slot: WidgetSlot; ctx?: SlotContext }) {
  const [widgets, setWidgets] = createSignal<Widget[]>([]);
  onMount(() => {
    void loadWidgets().then((all) => setWidgets(all.filter((w) => w.slot === props.slot && components[w.component] !== undefined)));
  });
  return (
    <Show when={widgets().length > 0}>
      <div class="plugin-slot" data-testid="plugin-slot" data-slot={props.slot}>
        <For each={widgets()}>
          {(w) => (
            <div class="plugin-widget" data-testid="plugin-widget" data-plugin={w.pluginId} data-component={w.component}>
              <Dynamic component={components[w.component]} pluginId={w.pluginId} props={w.props} ctx={props.ctx ?? {}} />
            </div>
          )}
        </For>
      </div>
    </Show>
  );
}
