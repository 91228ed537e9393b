import { A } from '@solidjs/router';
import { createSignal, Match, Show, Switch, type Accessor } from 'solid-js';
import { PluginSlot } from '~/components/PluginSlot';
import { StorePage } from '~/components/StorePage';
import { CategoryChips, ProductGrid, SearchBox } from '~/components/Storefront';
import { api, queryString } from '~/lib/api';
import { useCartCount } from '~/lib/cart-count';
import { createClientData, failedError, readyValue, toApiError } from '~/lib/client-data';
import { useI18n } from '~/lib/i18n-context';
import type { Catalog, Member, ProductListItem, ProductPage, ShopInfo } from '~/lib/types';

/** A shop's home: search, category chips, the best sellers (with "load more") and the member's sign-in state. */
export function StorefrontHome(props: { shop: Accessor<ShopInfo> }) {
  const { t } = useI18n();
  const [catalog] = createClientData(() => api.get<Catalog>('/api/catalog'));
  return (
    <StorePage title={props.shop().name}>
      <section class="store-hero">
        <p class="muted">{t('store.welcome')}</p>
        <h1 data-testid="shop-name">{props.shop().name}</h1>
        <MemberBar />
      </section>
      <SearchBox />
      <PluginSlot slot="storefront.home.banner" />
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(catalog())}>{(error) => <p class="alert">{error().message}</p>}</Match>
        <Match when={readyValue(catalog())}>
          {(c) => (
            <>
              <Show when={c().categories.length > 0}><CategoryChips categories={c().categories} /></Show>
              <Show when={c().products.length > 0} fallback={<EmptyCatalog />}>
                <h2 class="section-title">{t('store.bestSellers')}</h2>
                <BestSellers first={c().products} nextCursor={c().nextCursor} />
              </Show>
            </>
          )}
        </Match>
      </Switch>
      <footer class="store-footer">
        <A href="/admin" data-testid="store-admin-link">{t('store.adminLink')}</A>
      </footer>
    </StorePage>
  );
}

/** The first page came with the catalog; later pages by cursor, same order (sales). */
function BestSellers(props: { first: ProductListItem[]; nextCursor: string | null }) {
  const { t } = useI18n();
  const [more, setMore] = createSignal<ProductListItem[]>([]);
  const [cursor, setCursor] = createSignal(props.nextCursor);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  async function loadMore(after: string) {
    setBusy(true);
    setError(undefined);
    try {
      const page = await api.get<ProductPage>(`/api/catalog/products${queryString({ sort: 'sales', cursor: after, limit: 20 })}`);
      setMore((prev) => [...prev, ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(toApiError(e).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <ProductGrid products={[...props.first, ...more()]} />
      <Show when={error()}>{(message) => <p class="alert">{message()}</p>}</Show>
      <Show when={cursor()}>
        {(next) => (
          <p class="center">
            <button type="button" class="button" data-testid="home-load-more" disabled={busy()} onClick={() => void loadMore(next())}>
              {busy() ? t('common.loading') : t('common.loadMore')}
            </button>
          </p>
        )}
      </Show>
    </>
  );
}

function EmptyCatalog() {
  const { t } = useI18n();
  return (
    <section class="empty" data-testid="catalog-empty">
      <h2>{t('store.empty')}</h2>
      <p class="muted">{t('store.emptyText')}</p>
    </section>
  );
}

/** "Hello, name · log out" for a signed-in member, else links to log in and sign up. */
function MemberBar() {
  const { t } = useI18n();
  const cart = useCartCount();
  const [me, { reload }] = createClientData(() => api.get<{ member: Member }>('/api/member/me'));
  async function logout() {
    await api.post('/api/member/logout').catch(() => undefined);
    cart.set(undefined);
    await reload();
  }
  return (
    <Switch>
      <Match when={readyValue(me())}>
        {(m) => (
          <p class="member-bar" data-testid="member-signed-in">
            <span data-testid="member-name">{t('store.hello', { name: m().member.nickname || m().member.username })}</span>
            <button type="button" class="link" data-testid="member-logout" onClick={() => void logout()}>{t('common.logout')}</button>
          </p>
        )}
      </Match>
      <Match when={me().state === 'failed'}>
        <p class="actions">
          <A class="button primary" href="/login" data-testid="store-login">{t('store.login')}</A>
          <A class="button" href="/register" data-testid="store-register">{t('store.register')}</A>
        </p>
      </Match>
    </Switch>
  );
}
