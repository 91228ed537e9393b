import { A, useParams } from '@solidjs/router';
import { Match, onMount, Show, Switch, type Accessor } from 'solid-js';
import { Avatar } from '~/components/DistributionParts';
import { ShopGate } from '~/components/ShopGate';
import { StorePage } from '~/components/StorePage';
import { ProductGrid } from '~/components/Storefront';
import { api, fileUrl, queryString } from '~/lib/api';
import { createClientData, failedError, readyValue } from '~/lib/client-data';
import { normalizeCode, visitByCode } from '~/lib/distribution';
import { useI18n } from '~/lib/i18n-context';
import type { DistributorShop, ShopInfo } from '~/lib/types';

/**
 * A distributor's shop (D2): banner, logo, name, what it sells. Opening it is a visit through
 * the distributor's link (D3): a member is bound, a guest's code is kept until they register;
 * product links carry `?ref=CODE`, so the sale goes through this shop.
 */
export default function DistributorShopPage() {
  const params = useParams<{ code: string }>();
  return (
    <ShopGate>
      {(shop) => <Show when={params.code} keyed>{(code) => <ShopView shop={shop} code={code.toUpperCase()} />}</Show>}
    </ShopGate>
  );
}

function ShopView(props: { shop: Accessor<ShopInfo>; code: string }) {
  const { t } = useI18n();
  const [data] = createClientData(() => api.get<DistributorShop>(`/api/distribution/shops/${encodeURIComponent(props.code)}`));
  onMount(() => {
    const code = normalizeCode(props.code);
    if (code) void visitByCode(code);
  });
  return (
    <StorePage title={props.shop().name}>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())}>
          {(error) => (
            <section class="empty" data-testid="distributor-shop-missing">
              <h2>{error().code === 'INVITE_CODE_INVALID' ? t('dist.shopMissing') : t('site.errorTitle')}</h2>
              <p class="muted">{error().message}</p>
              <A class="button" href="/">{t('common.home')}</A>
            </section>
          )}
        </Match>
        <Match when={readyValue(data())}>
          {(d) => (
            <section data-testid="distributor-shop" data-code={d().shop.inviteCode}>
              <div class="dist-banner" classList={{ plain: !d().shop.banner }}>
                <Show when={d().shop.banner}>{(key) => <img src={fileUrl(key())} alt="" data-testid="distributor-shop-banner" />}</Show>
              </div>
              <div class="card dist-shop-head">
                <Show when={d().shop.logo} fallback={<Avatar src={d().shop.avatar} name={d().shop.name} />}>
                  {(key) => <img class="avatar" src={fileUrl(key())} alt="" data-testid="distributor-shop-logo" />}
                </Show>
                <div>
                  <h1 data-testid="distributor-shop-name">{d().shop.name}</h1>
                  <p class="muted small">{t('dist.shopOf', { shop: props.shop().name })}</p>
                </div>
              </div>
              <Show when={d().products.length > 0} fallback={<p class="empty muted" data-testid="distributor-shop-empty">{t('dist.noProducts')}</p>}>
                <ProductGrid query={queryString({ ref: d().shop.inviteCode })}
                  products={d().products.map((p) => ({ id: p.id, title: p.title, cover: p.image, priceMin: p.price, priceMax: p.price, sales: p.sales }))} />
              </Show>
            </section>
          )}
        </Match>
      </Switch>
    </StorePage>
  );
}
