import { A, useNavigate } from '@solidjs/router';
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { api, fileUrl, queryString } from '~/lib/api';
import { toApiError } from '~/lib/client-data';
import { formatFen, parseYuan } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { CategoryRoot, ProductListItem, ProductPage, ProductSort } from '~/lib/types';

const PAGE_SIZE = 20;

/** The search box: goes to /search?q=…; empty input does nothing. */
export function SearchBox(props: { initial?: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [q, setQ] = createSignal(props.initial ?? '');
  createEffect(on(() => props.initial, (initial) => setQ(initial ?? ''), { defer: true }));
  return (
    <form class="search-box" role="search" noValidate data-testid="search-form"
      onSubmit={(e) => {
        e.preventDefault();
        const text = q().trim();
        if (text) navigate(`/search${queryString({ q: text })}`);
      }}>
      <input class="input" type="search" enterkeyhint="search" maxLength={50} placeholder={t('store.searchPlaceholder')}
        aria-label={t('store.searchPlaceholder')} data-testid="search-input" value={q()} onInput={(e) => setQ(e.currentTarget.value)} />
      <button type="submit" class="button primary" data-testid="search-submit">{t('common.search')}</button>
    </form>
  );
}

/** Root categories as a horizontally scrolling row of chips. */
export function CategoryChips(props: { categories: { id: string; name: string }[]; activeId?: string; allHref?: string; allLabel?: string }) {
  return (
    <nav class="chip-row" data-testid="category-chips">
      <Show when={props.allHref}>
        {(href) => <A href={href()} class="chip" classList={{ active: !props.activeId }} data-testid="category-chip-all">{props.allLabel}</A>}
      </Show>
      <For each={props.categories}>
        {(category) => (
          <A href={`/category/${category.id}`} class="chip" classList={{ active: props.activeId === category.id }}
            data-testid="category-chip" data-id={category.id}>{category.name}</A>
        )}
      </For>
    </nav>
  );
}

/** What a product card shows: a catalog row, or a product of a distributor's shop. */
export type CardProduct = Pick<ProductListItem, 'id' | 'title' | 'cover' | 'priceMin' | 'priceMax' | 'sales'> & { stock?: number };

/** A product in a grid: cover, title, price (from the cheapest SKU), sales. `query` rides on its link (`?ref=CODE`). */
export function ProductCard(props: { product: CardProduct; query?: string }) {
  const { t } = useI18n();
  return (
    <li>
      <A href={`/product/${props.product.id}${props.query ?? ''}`} class="product-card" data-testid="product-card" data-id={props.product.id}>
        <div class="product-cover">
          <Show when={props.product.cover} fallback={<span class="no-image">{t('product.noImage')}</span>}>
            {(cover) => <img src={fileUrl(cover())} alt="" loading="lazy" />}
          </Show>
          <Show when={props.product.stock === 0}><span class="sold-out-badge">{t('detail.soldOut')}</span></Show>
        </div>
        <div class="product-info">
          <h3 class="product-name" data-testid="product-card-title">{props.product.title}</h3>
          <div class="product-meta">
            <span class="price" data-testid="product-card-price">
              {formatFen(props.product.priceMin)}
              <Show when={props.product.priceMax > props.product.priceMin}><small>{t('store.priceFrom')}</small></Show>
            </span>
            <span class="muted small">{t('store.sales', { n: props.product.sales })}</span>
          </div>
        </div>
      </A>
    </li>
  );
}

export function ProductGrid(props: { products: CardProduct[]; query?: string }) {
  return (
    <ul class="product-grid" data-testid="product-grid">
      <For each={props.products}>{(product) => <ProductCard product={product} query={props.query} />}</For>
    </ul>
  );
}

type Tab = 'relevance' | 'sales' | 'price';

/**
 * B3: a listing of products on the shelf (a category, a search) with sort tabs (综合/销量/价格,
 * price toggles ascending ⇄ descending), a price range in yuan, and "load more" by cursor.
 */
export function ProductListing(props: { q?: string; categoryId?: string; emptyText: string }) {
  const { t } = useI18n();
  const [sort, setSort] = createSignal<ProductSort>('relevance');
  const [minText, setMinText] = createSignal('');
  const [maxText, setMaxText] = createSignal('');
  const [range, setRange] = createSignal<{ min?: number; max?: number }>({});
  const [rangeError, setRangeError] = createSignal<string>();
  const [items, setItems] = createSignal<ProductListItem[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [state, setState] = createSignal<'loading' | 'idle' | 'more'>('loading');
  const [error, setError] = createSignal<string>();
  let generation = 0;

  const params = () => ({ q: props.q?.trim(), categoryId: props.categoryId, sort: sort(), minPrice: range().min, maxPrice: range().max });

  async function load(after: string | null) {
    const mine = ++generation;
    setState(after ? 'more' : 'loading');
    setError(undefined);
    try {
      const page = await api.get<ProductPage>(`/api/catalog/products${queryString({ ...params(), cursor: after, limit: PAGE_SIZE })}`);
      if (mine !== generation) return;
      setItems((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (e) {
      if (mine === generation) setError(toApiError(e).message);
    } finally {
      if (mine === generation) setState('idle');
    }
  }

  // Effects run only in the browser: the server renders the loading state.
  createEffect(on(params, () => void load(null)));

  const tab = (): Tab => (sort() === 'price_asc' || sort() === 'price_desc' ? 'price' : sort() === 'sales' ? 'sales' : 'relevance');
  const choosePrice = () => setSort(sort() === 'price_asc' ? 'price_desc' : 'price_asc');

  function applyRange(e: SubmitEvent) {
    e.preventDefault();
    const min = minText().trim() ? parseYuan(minText()) : undefined;
    const max = maxText().trim() ? parseYuan(maxText()) : undefined;
    if ((minText().trim() && min === undefined) || (maxText().trim() && max === undefined)) {
      setRangeError(t('product.priceInvalid'));
      return;
    }
    setRangeError(undefined);
    // A reversed range is what the buyer meant the other way round.
    setRange(min !== undefined && max !== undefined && min > max ? { min: max, max: min } : { min, max });
  }

  function clearRange() {
    setMinText('');
    setMaxText('');
    setRangeError(undefined);
    setRange({});
  }

  return (
    <section class="listing" data-testid="product-listing">
      <div class="sort-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab() === 'relevance'} classList={{ active: tab() === 'relevance' }}
          data-testid="sort-relevance" onClick={() => setSort('relevance')}>{t('store.sortRelevance')}</button>
        <button type="button" role="tab" aria-selected={tab() === 'sales'} classList={{ active: tab() === 'sales' }}
          data-testid="sort-sales" onClick={() => setSort('sales')}>{t('store.sortSales')}</button>
        <button type="button" role="tab" aria-selected={tab() === 'price'} classList={{ active: tab() === 'price' }}
          data-testid="sort-price" data-dir={sort() === 'price_desc' ? 'desc' : 'asc'} onClick={choosePrice}>
          {t('store.sortPrice')}
          <span class="sort-dir" aria-hidden="true">{tab() !== 'price' ? '↕' : sort() === 'price_asc' ? '↑' : '↓'}</span>
        </button>
      </div>
      <form class="price-range" noValidate onSubmit={applyRange} data-testid="price-range">
        <input class="input" inputmode="decimal" placeholder={t('store.minPrice')} aria-label={t('store.minPrice')}
          data-testid="price-min" value={minText()} onInput={(e) => setMinText(e.currentTarget.value)} />
        <span aria-hidden="true">–</span>
        <input class="input" inputmode="decimal" placeholder={t('store.maxPrice')} aria-label={t('store.maxPrice')}
          data-testid="price-max" value={maxText()} onInput={(e) => setMaxText(e.currentTarget.value)} />
        <button type="submit" class="button compact" data-testid="price-apply">{t('store.applyRange')}</button>
        <Show when={range().min !== undefined || range().max !== undefined}>
          <button type="button" class="link" data-testid="price-clear" onClick={clearRange}>{t('store.clearRange')}</button>
        </Show>
      </form>
      <Show when={rangeError()}>{(message) => <p class="error">{message()}</p>}</Show>
      <Show when={error()}>{(message) => <p class="alert">{message()}</p>}</Show>
      <Show when={state() !== 'loading'} fallback={<p class="muted center">{t('common.loading')}</p>}>
        <Show when={items().length > 0} fallback={<Show when={!error()}><EmptyListing text={props.emptyText} /></Show>}>
          <ProductGrid products={items()} />
        </Show>
        <Show when={cursor()}>
          {(next) => (
            <p class="center">
              <button type="button" class="button" data-testid="listing-load-more" disabled={state() === 'more'} onClick={() => void load(next())}>
                {state() === 'more' ? t('common.loading') : t('common.loadMore')}
              </button>
            </p>
          )}
        </Show>
      </Show>
    </section>
  );
}

export function EmptyListing(props: { text: string }) {
  return (
    <section class="empty" data-testid="listing-empty">
      <p class="muted">{props.text}</p>
    </section>
  );
}

/** The category a page shows and the chips around it: a root's children, or a child's siblings. */
export function categoryContext(tree: CategoryRoot[], id: string) {
  for (const root of tree) {
    if (root.id === id) return { category: root, root, chips: root.children };
    const child = root.children.find((c) => c.id === id);
    if (child) return { category: child, root, chips: root.children };
  }
  return undefined;
}
