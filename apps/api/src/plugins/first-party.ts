import type { PluginDefinition } from '@tuike/plugin-sdk';
import campaigns from '@tuike/plugin-campaigns';
import coupons from '@tuike/plugin-coupons';
import flashSale from '@tuike/plugin-flash-sale';
import points from '@tuike/plugin-points';

/**
 * First-party plugins shipped with this deployment (`plugins/*` workspaces), installable in any
 * shop without marketplace review. A new one is added here when its package lands.
 */
export const firstPartyPlugins: readonly PluginDefinition[] = [coupons, flashSale, campaigns, points];
