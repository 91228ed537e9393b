import type { PluginDefinition } from '@tuike/plugin-sdk';
import coupons from '@tuike/plugin-coupons';

/**
 * First-party plugins shipped with this deployment (`plugins/*` workspaces), installable in any
 * shop without marketplace review. A new one is added here when its package lands.
 */
export const firstPartyPlugins: readonly PluginDefinition[] = [coupons];
