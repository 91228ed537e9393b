import { A } from '@solidjs/router';
import { For, Match, Show, Switch } from 'solid-js';
import { CatalogAdminPage } from '~/components/CatalogAdmin';
import { api } from '~/lib/api';
import { specLabel } from '~/lib/catalog';
import { createClientData, failedError, readyValue } from '~/lib/client-data';
import { useI18n } from '~/lib/i18n-context';
import type { LowStockItem } from '~/lib/types';

/** B4: SKUs at or below their product's low-stock threshold, emptiest first. */
export default function AdminLowStock() {
  const { t } = useI18n();
  return (
    <CatalogAdminPage title={t('lowStock.title')}>
      {() => <LowStockList />}
    </CatalogAdminPage>
  );
}

function LowStockList() {
  const { t } = useI18n();
  const [items, { reload }] = createClientData(async () => (await api.get<{ items: LowStockItem[] }>('/api/admin/low-stock')).items);
  return (
    <>
      <div class="page-head">
        <h1>{t('lowStock.title')}</h1>
        <button type="button" class="button compact" data-testid="low-stock-refresh" onClick={() => void reload()}>{t('common.refresh')}</button>
      </div>
      <p class="muted small">{t('lowStock.intro')}</p>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(items())}>{(error) => <p class="alert">{error().message}</p>}</Match>
        <Match when={readyValue(items())}>
          {(list) => (
            <Show when={list().length > 0} fallback={<p class="card center muted" data-testid="low-stock-empty">{t('lowStock.empty')}</p>}>
              <ul class="low-stock-list">
                <For each={list()}>
                  {(item) => (
                    <li class="card low-stock-item" data-testid="low-stock-row" data-sku={item.skuId}>
                      <div>
                        <A href={`/admin/products/${item.productId}`} data-testid="low-stock-title">{item.title}</A>
                        <Show when={Object.keys(item.specs).length > 0}><span class="muted"> · {specLabel(item.specs)}</span></Show>
                      </div>
                      <div class="low-stock-meta">
                        <strong classList={{ 'stock-out': item.stock === 0 }} data-testid="low-stock-stock">
                          {item.stock === 0 ? t('lowStock.out') : t('product.stockN', { n: item.stock })}
                        </strong>
                        <span class="muted">{t('lowStock.threshold', { n: item.threshold })}</span>
                        <span class="badge" classList={{ off: item.status !== 'on' }}>{item.status === 'on' ? t('product.statusOn') : t('product.statusOff')}</span>
                      </div>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Match>
      </Switch>
    </>
  );
}
