import { A, useParams } from '@solidjs/router';
import { Match, Show, Switch, type Accessor } from 'solid-js';
import { StorePage } from '~/components/StorePage';
import { ShopGate } from '~/components/ShopGate';
import { categoryContext, CategoryChips, ProductListing, SearchBox } from '~/components/Storefront';
import { api } from '~/lib/api';
import { createClientData, failedError, readyValue } from '~/lib/client-data';
import { useI18n } from '~/lib/i18n-context';
import type { Catalog, ShopInfo } from '~/lib/types';

/** B3: a category's products (a root lists its children's too), with sort tabs and a price range. */
export default function CategoryPage() {
  return <ShopGate>{(shop) => <CategoryView shop={shop} />}</ShopGate>;
}

function CategoryView(props: { shop: Accessor<ShopInfo> }) {
  const { t } = useI18n();
  const params = useParams<{ id: string }>();
  const [catalog] = createClientData(() => api.get<Catalog>('/api/catalog'));
  const context = () => {
    const c = readyValue(catalog());
    return c ? categoryContext(c.categories, params.id) : undefined;
  };
  return (
    <StorePage title={props.shop().name}>
      <SearchBox />
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(catalog())}>{(error) => <p class="alert">{error().message}</p>}</Match>
        <Match when={readyValue(catalog()) && !context()}>
          <section class="empty" data-testid="category-missing">
            <h2>{t('store.categoryMissing')}</h2>
            <A class="button" href="/">{t('common.home')}</A>
          </section>
        </Match>
        <Match when={context()}>
          {(ctx) => (
            <>
              <nav class="crumbs small">
                <A href="/">{t('store.home')}</A>
                <Show when={ctx().root.id !== ctx().category.id}>
                  {' › '}<A href={`/category/${ctx().root.id}`}>{ctx().root.name}</A>
                </Show>
              </nav>
              <h1 data-testid="category-title">{ctx().category.name}</h1>
              <Show when={ctx().chips.length > 0}>
                <CategoryChips categories={ctx().chips} activeId={ctx().category.id === ctx().root.id ? undefined : ctx().category.id}
                  allHref={`/category/${ctx().root.id}`} allLabel={t('store.allOf')} />
              </Show>
              <ProductListing categoryId={params.id} emptyText={t('store.categoryEmpty')} />
            </>
          )}
        </Match>
      </Switch>
    </StorePage>
  );
}
