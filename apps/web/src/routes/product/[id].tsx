import { A, useNavigate, useParams, useSearchParams } from '@solidjs/router';
import { createEffect, createMemo, createSignal, For, Match, on, onCleanup, onMount, Show, Switch, type Accessor } from 'solid-js';
import { ProductReviewsCard } from '~/components/Reviews';
import { ShopGate } from '~/components/ShopGate';
import { PluginSlot } from '~/components/PluginSlot';
import { Stepper } from '~/components/Stepper';
import { StorePage } from '~/components/StorePage';
import { api, fileUrl, queryString } from '~/lib/api';
import { loginHref } from '~/lib/buyer';
import { useCartCount } from '~/lib/cart-count';
import { createClientData, failedError, readyValue, toApiError } from '~/lib/client-data';
import { normalizeCode, visitByCode } from '~/lib/distribution';
import { formatFen, formatFenRange } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { ProductEarnings, ShopInfo, StoreProductDetail, StoreSku } from '~/lib/types';

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
  // Quiet refreshes: a failed one keeps what is shown.
  const refreshStock = () => {
    if (data().state === 'ready') api.get<StoreProductDetail>(path).then(set, () => undefined);
  };

  // Opened through a distributor's link (`?ref=CODE`): a visit, so the buyer is bound (D3).
  const [search] = useSearchParams<{ ref?: string }>();
  onMount(() => {
    const code = normalizeCode(search.ref);
    if (code) void visitByCode(code);
  });

  onMount(() => {
    const refresh = () => {
      if (document.visibilityState === 'visible') refreshStock();
    };
    const timer = setInterval(refresh, REFRESH_MS);
    document.addEventListener('visibilitychange', refresh);
    onCleanup(() => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', refresh);
    });
  });

  return (
    <StorePage title={props.shop().name}>
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
        <Match when={readyValue(data())}>{(detail) => <ProductView detail={detail} onStale={refreshStock} />}</Match>
      </Switch>
    </StorePage>
  );
}

const fits = (sku: StoreSku, choice: Record<string, string>) => Object.entries(choice).every(([name, value]) => sku.specs[name] === value);

function ProductView(props: { detail: Accessor<StoreProductDetail>; onStale: () => void }) {
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
        <EarnLine productId={product().id} skuId={chosen()?.id} />
        <PluginSlot slot="storefront.product.below-price" ctx={{ productId: product().id, categoryId: product().categoryId }} />
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

      <ProductReviewsCard productId={product().id} />

      <BuyBar productId={product().id} sku={chosen()} missing={missing()} soldOut={totalStock() === 0} onStale={props.onStale} />
    </article>
  );
}

/**
 * For a signed-in active distributor (D11): what they earn on this product (the chosen SKU, or the
 * range over the SKUs) and the way to its poster. Everyone else sees nothing: the call fails quietly.
 */
function EarnLine(props: { productId: string; skuId: string | undefined }) {
  const { t } = useI18n();
  const [earn] = createClientData(() => api.get<ProductEarnings>(`/api/distribution/earn/${encodeURIComponent(props.productId)}`));
  const amount = () => {
    const e = readyValue(earn());
    if (!e?.active || e.items.length === 0) return undefined;
    const sku = e.items.find((i) => i.skuId === props.skuId);
    if (sku) return formatFen(sku.commission);
    const all = e.items.map((i) => i.commission);
    return formatFenRange(Math.min(...all), Math.max(...all));
  };
  return (
    <Show when={amount()}>
      {(text) => (
        <p class="earn-line" data-testid="earn-line">
          <span>{t('dist.youEarn')} <strong class="price" data-testid="earn-amount">{text()}</strong></span>
          <A class="button compact primary" href={`/distribution/share${queryString({ product: props.productId })}`} data-testid="earn-share">{t('dist.sharePoster')}</A>
        </p>
      )}
    </Show>
  );
}

/** A SKU chosen: how many, 加入购物车 and 立即购买 (C2/C3). */
function BuyBar(props: { productId: string; sku: StoreSku | undefined; missing: string[]; soldOut: boolean; onStale: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const cart = useCartCount();
  const [quantity, setQuantity] = createSignal(1);
  const [busy, setBusy] = createSignal(false);
  const [message, setMessage] = createSignal<{ kind: 'notice' | 'alert'; text: string }>();
  const max = () => Math.max(1, Math.min(999, props.sku?.stock ?? 1));
  const ready = () => !!props.sku && props.sku.stock > 0;
  // Another SKU, or fresher stock: keep the quantity possible.
  createEffect(on(max, (m) => { if (quantity() > m) setQuantity(m); }, { defer: true }));
  createEffect(on(() => props.sku?.id, () => setMessage(undefined), { defer: true }));

  async function addToCart() {
    const sku = props.sku;
    if (!sku || busy()) return;
    setBusy(true);
    setMessage(undefined);
    try {
      await api.post('/api/cart/items', { skuId: sku.id, quantity: quantity() });
      setMessage({ kind: 'notice', text: t('detail.added') });
      void cart.refresh();
    } catch (e) {
      const error = toApiError(e);
      if (error.code === 'UNAUTHENTICATED') {
        navigate(loginHref(`/product/${props.productId}`));
        return;
      }
      const details = error.details as { available?: number; inCart?: number } | undefined;
      const room = details && typeof details.available === 'number' ? Math.max(0, details.available - (details.inCart ?? 0)) : undefined;
      setMessage({
        kind: 'alert',
        text: error.code === 'OUT_OF_STOCK' && room !== undefined
          ? (room > 0 ? t('detail.canAddOnly', { n: room }) : t('detail.allInCart'))
          : error.message,
      });
      if (error.code === 'OUT_OF_STOCK' || error.code === 'PRODUCT_NOT_FOUND') props.onStale();
    } finally {
      setBusy(false);
    }
  }

  const buyNow = () => {
    const sku = props.sku;
    if (sku) navigate(`/checkout${queryString({ sku: sku.id, qty: quantity() })}`);
  };

  return (
    <div class="buy-bar" data-testid="buy-bar">
      <Show when={message()}>
        {(m) => <p class={m().kind} role="status" data-testid={m().kind === 'notice' ? 'cart-added' : 'buy-error'}>
          {m().text}
          <Show when={m().kind === 'notice'}>{' '}<A href="/cart" data-testid="go-cart">{t('detail.goCart')}</A></Show>
        </p>}
      </Show>
      <div class="buy-row">
        <span class="muted small">{t('detail.quantity')}</span>
        <Stepper testid="buy-qty" value={quantity()} max={max()} disabled={!ready()} onChange={setQuantity} />
      </div>
      <div class="buy-buttons">
        <button type="button" class="button" disabled={!ready() || busy()} data-testid="add-to-cart" onClick={() => void addToCart()}>
          {t('detail.addToCart')}
        </button>
        <button type="button" class="button primary" disabled={!ready()} data-testid="buy-now" onClick={buyNow}>
          {t('detail.buyNow')}
        </button>
      </div>
      <Show when={!ready()}>
        <p class="muted small center" data-testid="buy-hint">
          {props.soldOut || (props.sku && props.sku.stock === 0) ? t('detail.soldOut') : t('detail.choose', { specs: props.missing.join('、') })}
        </p>
      </Show>
    </div>
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
