import { useLocation, useParams } from '@solidjs/router';
import { Show } from 'solid-js';
import { canManageCatalog, CatalogAdminPage } from '~/components/CatalogAdmin';
import { ProductEditor } from '~/components/ProductEditor';
import { useI18n } from '~/lib/i18n-context';

/** One product: editable with products.manage, read-only with products.view. */
export default function AdminProductEdit() {
  const { t } = useI18n();
  const params = useParams<{ id: string }>();
  const location = useLocation<{ created?: boolean }>();
  return (
    <CatalogAdminPage title={t('product.editTitle')}>
      {(me) => (
        // Keyed: another product's page is a fresh editor.
        <Show when={params.id} keyed>
          {(id) => <ProductEditor productId={id} canManage={canManageCatalog(me().staff)} justCreated={location.state?.created === true} />}
        </Show>
      )}
    </CatalogAdminPage>
  );
}
