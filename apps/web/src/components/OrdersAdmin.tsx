import { A, useLocation } from '@solidjs/router';
import { Show, type Accessor, type JSX } from 'solid-js';
import { useI18n } from '~/lib/i18n-context';
import type { AdminMe, Staff } from '~/lib/types';
import { can } from './AdminFrame';
import { AdminPage } from './AdminPage';

export const canViewOrders = (staff: Staff) => can(staff, 'orders.view');
export const canManageOrders = (staff: Staff) => can(staff, 'orders.manage');
export const canExportOrders = (staff: Staff) => can(staff, 'orders.export');

/**
 * A page of the admin's order section: the admin frame, the section's tabs, and the page itself
 * only for staff holding orders.view (shipping, closing and remarks need orders.manage, the CSV
 * export orders.export: each page checks its own).
 */
export function OrdersAdminPage(props: { title: string; children: (me: Accessor<AdminMe>) => JSX.Element }) {
  return <AdminPage title={props.title} permission="orders.view" header={(me) => <OrdersTabs me={me()} />}>{props.children}</AdminPage>;
}

/** 订单列表 (also active on one order's page) and 批量发货 (orders.manage only). */
function OrdersTabs(props: { me: AdminMe }) {
  const { t } = useI18n();
  const location = useLocation();
  const onShipPage = () => /\/admin\/orders\/ship\/?$/.test(location.pathname);
  return (
    <nav class="tabs" aria-label={t('admin.nav.orders')}>
      <A href="/admin/orders" classList={{ active: !onShipPage() }} data-testid="tab-orders">{t('adminOrders.tabList')}</A>
      <Show when={canManageOrders(props.me.staff)}>
        <A href="/admin/orders/ship" classList={{ active: onShipPage() }} data-testid="tab-ship-batch">{t('adminOrders.tabShip')}</A>
      </Show>
    </nav>
  );
}
