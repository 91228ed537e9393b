import { createContext, useContext, type Accessor, type ParentProps } from 'solid-js';
import { api } from './api';
import { createClientData, type Loadable } from './client-data';
import type { ShopInfo } from './types';

/**
 * What this address is. The API decides (it knows PLATFORM_DOMAIN and custom domains):
 * GET /api/shop answers with the shop, or NO_SHOP on the platform host, SHOP_NOT_FOUND, SHOP_SUSPENDED.
 */
export type Site =
  | { kind: 'loading' }
  | { kind: 'platform' }
  | { kind: 'shop'; shop: ShopInfo }
  | { kind: 'missing' }
  | { kind: 'suspended' }
  | { kind: 'error'; message: string; retry: () => void };

const SiteContext = createContext<Accessor<Site>>();

export function SiteProvider(props: ParentProps) {
  const [data, { reload }] = createClientData(() => api.get<{ shop: ShopInfo }>('/api/shop'));
  const site = (): Site => toSite(data(), () => void reload());
  return <SiteContext.Provider value={site}>{props.children}</SiteContext.Provider>;
}

function toSite(data: Loadable<{ shop: ShopInfo }>, retry: () => void): Site {
  if (data.state === 'loading') return { kind: 'loading' };
  if (data.state === 'ready') return { kind: 'shop', shop: data.value.shop };
  switch (data.error.code) {
    case 'NO_SHOP': return { kind: 'platform' };
    case 'SHOP_NOT_FOUND': return { kind: 'missing' };
    case 'SHOP_SUSPENDED': return { kind: 'suspended' };
    default: return { kind: 'error', message: data.error.message, retry };
  }
}

export function useSite(): Accessor<Site> {
  const site = useContext(SiteContext);
  if (!site) throw new Error('useSite outside <SiteProvider>');
  return site;
}
