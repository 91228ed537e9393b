import { A } from '@solidjs/router';
import { createSignal, For, onMount, Show } from 'solid-js';
import { canManageCatalog, CatalogAdminPage, CategorySelect } from '~/components/CatalogAdmin';
import { FormAlert } from '~/components/Field';
import { api, fileUrl, queryString } from '~/lib/api';
import { createClientData, readyValue, toApiError } from '~/lib/client-data';
import { formatFenRange } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { CategoryRoot, ProductListItem, ProductPage, ShelfStatus } from '~/lib/types';

const PAGE_SIZE = 20;

/** B2/B3 in the admin: products with search, filters, on/off shelf and "load more". */
export default function AdminProducts() {
  const { t } = useI18n();
  return (
    <CatalogAdminPage title={t('product.listTitle')}>
      {(me) => <ProductBrowser canManage={canManageCatalog(me().staff)} />}
    </CatalogAdminPage>
  );
}

interface Filters {
  q: string;
  status: 'any' | ShelfStatus;
  categoryId: string;
  sort: 'newest' | 'sales' | 'price_asc' | 'price_desc';
}

const noFilters: Filters = { q: '', status: 'any', categoryId: '', sort: 'newest' };

function ProductBrowser(props: { canManage: boolean }) {
  const { t } = useI18n();
  const [tree] = createClientData(async () => (await api.get<{ categories: CategoryRoot[] }>('/api/admin/categories')).categories);
  const [draft, setDraft] = createSignal<Filters>(noFilters);
  const [items, setItems] = createSignal<ProductListItem[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [state, setState] = createSignal<'loading' | 'idle' | 'more'>('loading');
  const [error, setError] = createSignal<string>();
  let applied: Filters = noFilters;
  let generation = 0;

  async function load(filters: Filters, after: string | null) {
    const mine = ++generation;
    setState(after ? 'more' : 'loading');
    setError(undefined);
    try {
      const q = filters.q.trim();
      const page = await api.get<ProductPage>(`/api/admin/products${queryString({
        q, status: filters.status, categoryId: filters.categoryId,
        // A keyword search ranks by relevance unless another order was picked.
        sort: q && filters.sort === 'newest' ? 'relevance' : filters.sort,
        cursor: after, limit: PAGE_SIZE,
      })}`);
      if (mine !== generation) return;
      setItems((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (e) {
      if (mine === generation) setError(toApiError(e).message);
    } finally {
      if (mine === generation) setState('idle');
    }
  }

  const apply = (filters: Filters) => {
    applied = filters;
    setCursor(null);
    void load(filters, null);
  };
  onMount(() => apply(noFilters));

  const set = <K extends keyof Filters>(key: K, value: Filters[K], now = false) => {
    setDraft((prev) => ({ ...prev, [key]: value }));
    if (now) apply(draft());
  };

  const replace = (updated: ProductListItem) => setItems((prev) => prev.map((p) => (p.id === updated.id ? updated : p)));

  return (
    <>
      <div class="page-head">
        <h1>{t('product.listTitle')}</h1>
        <Show when={props.canManage}>
          <A class="button primary" href="/admin/products/new" data-testid="product-new">+ {t('product.create')}</A>
        </Show>
      </div>
      <form class="card form filters" role="search" noValidate data-testid="product-filters"
        onSubmit={(e) => { e.preventDefault(); apply(draft()); }}>
        <div class="search-row">
          <input class="input" type="search" maxLength={50} placeholder={t('product.searchPlaceholder')} aria-label={t('product.searchPlaceholder')}
            data-testid="product-search" value={draft().q} onInput={(e) => set('q', e.currentTarget.value)} />
          <button type="submit" class="button primary" data-testid="product-search-submit">{t('common.search')}</button>
        </div>
        <div class="grid">
          <label class="field">
            <span>{t('product.status')}</span>
            <select class="input" data-testid="product-status-filter" value={draft().status}
              onChange={(e) => set('status', e.currentTarget.value as Filters['status'], true)}>
              <option value="any">{t('product.statusAny')}</option>
              <option value="on">{t('product.statusOn')}</option>
              <option value="off">{t('product.statusOff')}</option>
            </select>
          </label>
          <label class="field">
            <span>{t('product.category')}</span>
            <CategorySelect tree={readyValue(tree()) ?? []} value={draft().categoryId} emptyLabel={t('product.allCategories')}
              testid="product-category-filter" onChange={(id) => set('categoryId', id, true)} />
          </label>
          <label class="field">
            <span>{t('product.sort')}</span>
            <select class="input" data-testid="product-sort" value={draft().sort}
              onChange={(e) => set('sort', e.currentTarget.value as Filters['sort'], true)}>
              <option value="newest">{t('product.sortNewest')}</option>
              <option value="sales">{t('product.sortSales')}</option>
              <option value="price_asc">{t('product.sortPriceAsc')}</option>
              <option value="price_desc">{t('product.sortPriceDesc')}</option>
            </select>
          </label>
        </div>
      </form>
      <FormAlert message={error()} />
      <Show when={state() !== 'loading'} fallback={<p class="muted">{t('common.loading')}</p>}>
        <Show when={items().length > 0} fallback={<p class="muted card center" data-testid="product-empty">{t('product.empty')}</p>}>
          <ul class="admin-products">
            <For each={items()}>{(item) => <ProductRow item={item} canManage={props.canManage} onChange={replace} />}</For>
          </ul>
        </Show>
        <Show when={cursor()} fallback={<Show when={items().length > 0}><p class="muted center" data-testid="products-end">{t('common.noMore')}</p></Show>}>
          {(next) => (
            <p class="center">
              <button type="button" class="button" data-testid="products-load-more" disabled={state() === 'more'}
                onClick={() => void load(applied, next())}>
                {state() === 'more' ? t('common.loading') : t('common.loadMore')}
              </button>
            </p>
          )}
        </Show>
      </Show>
    </>
  );
}

function ProductRow(props: { item: ProductListItem; canManage: boolean; onChange: (item: ProductListItem) => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const on = () => props.item.status === 'on';

  async function toggle() {
    if (busy()) return;
    setBusy(true);
    setError(undefined);
    try {
      const status: ShelfStatus = on() ? 'off' : 'on';
      await api.post(`/api/admin/products/${props.item.id}/shelf`, { status });
      props.onChange({ ...props.item, status });
    } catch (e) {
      setError(toApiError(e).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li class="admin-product card" data-testid="product-row" data-id={props.item.id} data-status={props.item.status}>
      <A href={`/admin/products/${props.item.id}`} class="thumb" aria-hidden="true" tabIndex={-1}>
        <Show when={props.item.cover} fallback={<span class="no-image">{t('product.noImage')}</span>}>
          {(cover) => <img src={fileUrl(cover())} alt="" loading="lazy" />}
        </Show>
      </A>
      <div class="admin-product-main">
        <A href={`/admin/products/${props.item.id}`} class="admin-product-title" data-testid="product-row-title">{props.item.title}</A>
        <div class="admin-product-meta">
          <span class="price">{formatFenRange(props.item.priceMin, props.item.priceMax)}</span>
          <span class="muted">{t('product.stockN', { n: props.item.stock })}</span>
          <span class="muted">{t('product.salesN', { n: props.item.sales })}</span>
        </div>
        <div class="admin-product-meta">
          <span class="badge" classList={{ off: !on() }} data-testid="product-row-status">{on() ? t('product.statusOn') : t('product.statusOff')}</span>
          <Show when={props.canManage}>
            <button type="button" class="button compact" data-testid="shelf-toggle" disabled={busy()} onClick={() => void toggle()}>
              {on() ? t('product.shelfOff') : t('product.shelfOn')}
            </button>
          </Show>
        </div>
        <Show when={error()}>{(message) => <p class="error" role="alert">{message()}</p>}</Show>
      </div>
    </li>
  );
}
