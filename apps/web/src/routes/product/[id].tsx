import { A, useParams } from '@solidjs/router';
import { createMemo, createSignal, For, Match, onCleanup, onMount, Show, Switch, type Accessor } from 'solid-js';
import { PageShell } from '~/components/PageShell';
import { ShopGate } from '~/components/ShopGate';
import { api, fileUrl } from '~/lib/api';
import { createClientData, failedError, readyValue } from '~/lib/client-data';
import { formatFen, formatFenRange } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { ShopInfo, StoreProductDetail, StoreSku } from '~/lib/types';

/** How often an open product page refreshes its stock (B4: live stock), while the tab is visible. */
const REFRESH_MS = 30_000;

/** B2/B4: a product on the shelf: images, price, spec picker with live stock, attributes, description. */
export default function ProductPage() {
  const params = useParams<{ id: string }>();
  return (
    <ShopGate>
      {(shop) => <Show when={params.id} keyed>{(id) => <ProductDetail shop={shop} id={id} />}</Show>}
    </ShopGate>
  );
}

function ProductDetail(props: { shop: Accessor<ShopInfo>; id: string }) {
  const { t } = useI18n();
  const path = `/api/catalog/products/${encodeURIComponent(props.id)}`;
  const [data, { set }] = createClientData(() => api.get<StoreProductDetail>(path));

  onMount(() => {
    // Quiet refreshes: a failed one keeps what is shown.
    const refresh = () => {
      if (document.visibilityState === 'visible' && data().state === 'ready') api.get<StoreProductDetail>(path).then(set, () => undefined);
    };
    const timer = setInterval(refresh, REFRESH_MS);
    document.addEventListener('visibilitychange', refresh);
    onCleanup(() => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', refresh);
    });
  });

  return (
    <PageShell title={props.shop().name}>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())}>
          {(error) => (
            <section class="empty" data-testid="product-missing">
              <h2>{error().code === 'PRODUCT_NOT_FOUND' ? t('detail.missingTitle') : t('site.errorTitle')}</h2>
              <p class="muted">{error().message}</p>
              <A class="button" href="/">{t('common.home')}</A>
            </section>
          )}
        </Match>
        <Match when={readyValue(data())}>{(detail) => <ProductView detail={detail} />}</Match>
      </Switch>
    </PageShell>
  );
}

const fits = (sku: StoreSku, choice: Record<string, string>) => Object.entries(choice).every(([name, value]) => sku.specs[name] === value);

function ProductView(props: { detail: Accessor<StoreProductDetail> }) {
  const { t } = useI18n();
  const product = () => props.detail().product;
  const skus = () => props.detail().skus;
  // A spec with a single value needs no decision.
  const [choice, setChoice] = createSignal<Record<string, string>>(
    Object.fromEntries(product().specs.filter((s) => s.values.length === 1).map((s) => [s.name, s.values[0] ?? ''])),
  );

  /** The SKU once every spec has a value (a product without specs has exactly one). */
  const chosen = createMemo(() => {
    const specs = product().specs;
    if (specs.some((s) => !choice()[s.name])) return undefined;
    return skus().find((sku) => specs.every((s) => sku.specs[s.name] === choice()[s.name]));
  });
  /** SKUs still possible with what is picked so far: the price range narrows as the buyer picks. */
  const candidates = createMemo(() => skus().filter((sku) => fits(sku, choice())));
  const priceText = () => {
    const sku = chosen();
    if (sku) return formatFen(sku.price);
    const prices = candidates().map((s) => s.price);
    return prices.length > 0 ? formatFenRange(Math.min(...prices), Math.max(...prices)) : formatFenRange(product().priceMin, product().priceMax);
  };
  const marketPrice = () => {
    const sku = chosen();
    const market = sku ? (sku.marketPrice ?? product().marketPrice) : product().marketPrice;
    const lowest = sku ? sku.price : Math.min(...candidates().map((s) => s.price), product().priceMax);
    return market !== null && market > lowest ? market : undefined;
  };
  const totalStock = () => skus().reduce((n, s) => n + s.stock, 0);
  const missing = () => product().specs.filter((s) => !choice()[s.name]).map((s) => s.name);

  /** A value can be picked when some SKU with stock has it together with the other picks. */
  const available = (name: string, value: string) => skus().some((sku) => sku.stock > 0 && fits(sku, { ...choice(), [name]: value }));
  const pick = (name: string, value: string) =>
    setChoice((prev) => {
      const next = { ...prev };
      if (next[name] === value) delete next[name];
      else next[name] = value;
      return next;
    });

  return (
    <article class="product-detail" data-testid="product-detail">
      <Carousel images={product().images} />
      <section class="card detail-main">
        <div class="detail-price">
          <span class="price big" data-testid="sku-price">{priceText()}</span>
          <Show when={marketPrice()}>{(market) => <s class="muted" data-testid="market-price">{formatFen(market())}</s>}</Show>
        </div>
        <h1 data-testid="product-title">{product().title}</h1>
        <Show when={product().subtitle}><p class="muted">{product().subtitle}</p></Show>
        <p class="muted small">{t('store.sales', { n: product().sales })}</p>
      </section>

      <section class="card" data-testid="spec-picker">
        <For each={product().specs}>
          {(spec) => (
            <div class="spec-group">
              <h3>{spec.name}</h3>
              <div class="spec-options">
                <For each={spec.values}>
                  {(value) => {
                    const selected = () => choice()[spec.name] === value;
                    return (
                      <button type="button" class="spec-option" classList={{ selected: selected() }} data-testid="spec-option"
                        data-spec={spec.name} data-value={value} aria-pressed={selected()}
                        disabled={!selected() && !available(spec.name, value)} onClick={() => pick(spec.name, value)}>
                        {value}
                      </button>
                    );
                  }}
                </For>
              </div>
            </div>
          )}
        </For>
        <p class="stock-line" data-testid="sku-stock" data-stock={chosen()?.stock ?? ''}>
          <Switch fallback={<span class="muted">{t('detail.choose', { specs: missing().join('、') })}</span>}>
            <Match when={totalStock() === 0}><strong class="stock-out">{t('detail.soldOut')}</strong></Match>
            <Match when={chosen()}>
              {(sku) => (
                <Show when={sku().stock > 0} fallback={<strong class="stock-out">{t('detail.soldOut')}</strong>}>
                  <span>{t('detail.stock', { n: sku().stock })}</span>
                </Show>
              )}
            </Match>
          </Switch>
        </p>
      </section>

      <Show when={Object.keys(product().attributes).length > 0}>
        <section class="card">
          <h2>{t('detail.attributes')}</h2>
          <table class="attributes" data-testid="product-attributes">
            <tbody>
              <For each={Object.entries(product().attributes)}>
                {([name, value]) => <tr><th scope="row">{name}</th><td>{value}</td></tr>}
              </For>
            </tbody>
          </table>
        </section>
      </Show>

      <Show when={product().descriptionHtml}>
        <section class="card">
          <h2>{t('detail.description')}</h2>
          {/* Sanitized by the API when it was saved (whitelisted tags, no scripts or handlers). */}
          <div class="description" data-testid="product-description" innerHTML={product().descriptionHtml} />
        </section>
      </Show>

      <div class="buy-bar">
        <button type="button" class="button primary block" disabled data-testid="add-to-cart">{t('detail.addToCart')}</button>
        <p class="muted small center">{t('detail.cartSoon')}</p>
      </div>
    </article>
  );
}

/** Images side by side with scroll snapping; the counter follows the swipe. */
function Carousel(props: { images: string[] }) {
  const { t } = useI18n();
  const [index, setIndex] = createSignal(0);
  return (
    <Show when={props.images.length > 0} fallback={<div class="carousel empty-cover"><span class="no-image">{t('product.noImage')}</span></div>}>
      <div class="carousel-wrap">
        <div class="carousel" data-testid="carousel"
          onScroll={(e) => setIndex(Math.round(e.currentTarget.scrollLeft / Math.max(1, e.currentTarget.clientWidth)))}>
          <For each={props.images}>{(key, i) => <img src={fileUrl(key)} alt="" loading={i() === 0 ? 'eager' : 'lazy'} data-testid="carousel-image" />}</For>
        </div>
        <Show when={props.images.length > 1}>
          <span class="carousel-count" aria-hidden="true">{Math.min(index() + 1, props.images.length)}/{props.images.length}</span>
        </Show>
      </div>
    </Show>
  );
}
