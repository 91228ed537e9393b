import { Show } from 'solid-js';
import { canManageCatalog, CatalogAdminPage } from '~/components/CatalogAdmin';
import { ProductEditor } from '~/components/ProductEditor';
import { useI18n } from '~/lib/i18n-context';

/** A new product (products.manage). */
export default function AdminProductNew() {
  const { t } = useI18n();
  return (
    <CatalogAdminPage title={t('product.create')}>
      {(me) => (
        <Show when={canManageCatalog(me().staff)} fallback={<p class="alert" data-testid="forbidden">{t('admin.noPermissions')}</p>}>
          <ProductEditor canManage />
        </Show>
      )}
    </CatalogAdminPage>
  );
}
