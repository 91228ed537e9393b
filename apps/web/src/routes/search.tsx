import { useSearchParams } from '@solidjs/router';
import { Show, type Accessor } from 'solid-js';
import { StorePage } from '~/components/StorePage';
import { ShopGate } from '~/components/ShopGate';
import { ProductListing, SearchBox } from '~/components/Storefront';
import { useI18n } from '~/lib/i18n-context';
import type { ShopInfo } from '~/lib/types';

/** B3: keyword search (/search?q=…) with the same sort tabs and price range as a category. */
export default function SearchPage() {
  return <ShopGate>{(shop) => <SearchView shop={shop} />}</ShopGate>;
}

function SearchView(props: { shop: Accessor<ShopInfo> }) {
  const { t } = useI18n();
  const [params] = useSearchParams<{ q?: string }>();
  const q = () => (typeof params.q === 'string' ? params.q.trim() : '');
  return (
    <StorePage title={props.shop().name}>
      <SearchBox initial={q()} />
      <Show when={q()} fallback={<p class="muted center" data-testid="search-prompt">{t('store.searchPrompt')}</p>}>
        {(keyword) => (
          <>
            <h1 class="search-title" data-testid="search-title">{t('store.searchResults', { q: keyword() })}</h1>
            <ProductListing q={keyword()} emptyText={t('store.searchEmpty', { q: keyword() })} />
          </>
        )}
      </Show>
    </StorePage>
  );
}
