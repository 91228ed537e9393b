import { A, useLocation, useNavigate } from '@solidjs/router';
import { createEffect, Match, Show, Switch, type Accessor, type JSX } from 'solid-js';
import { api } from '~/lib/api';
import { createClientData } from '~/lib/client-data';
import { useI18n } from '~/lib/i18n-context';
import type { AdminMe, ShopInfo, Staff } from '~/lib/types';
import { distributionHome, DISTRIBUTION_PATH } from '~/lib/admin-distribution';
import { PLUGINS_PATH } from '~/lib/admin-plugins';
import { NoticeBell } from './NoticeBell';
import { PageShell } from './PageShell';
import { LoadingPage, StatusPage } from './StatusPage';

export const can = (staff: Staff, permission: string): boolean => staff.permissions.includes(permission);

interface AdminFrameProps {
  shop: Accessor<ShopInfo>;
  title: string;
  children: (me: Accessor<AdminMe>) => JSX.Element;
}

/** The signed-in admin's page frame: loads /api/admin/me, sends strangers to /admin/login. */
export function AdminFrame(props: AdminFrameProps) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [me] = createClientData(() => api.get<AdminMe>('/api/admin/me'));

  createEffect(() => {
    const current = me();
    if (current.state === 'failed' && current.error.code === 'UNAUTHENTICATED') navigate('/admin/login', { replace: true });
  });

  async function logout() {
    await api.post('/api/admin/auth/logout').catch(() => undefined);
    navigate('/admin/login', { replace: true });
  }

  const ready = () => { const m = me(); return m.state === 'ready' ? m.value : undefined; };
  const failed = () => { const m = me(); return m.state === 'failed' && m.error.code !== 'UNAUTHENTICATED' ? m.error : undefined; };

  return (
    <Switch fallback={<LoadingPage />}>
      <Match when={ready()}>
        {(current) => (
          <PageShell
            title={`${props.shop().name} · ${props.title}`}
            homeHref="/admin"
            nav={<AdminNav me={current()} onLogout={logout} />}
            actions={can(current().staff, 'dashboard.view')
              ? <NoticeBell href="/admin/notifications" path="/api/admin/notifications" testid="admin-bell" />
              : undefined}
          >
            {props.children(current)}
          </PageShell>
        )}
      </Match>
      <Match when={failed()}>
        {(error) => <StatusPage testid="admin-error" title={t('site.errorTitle')} text={error().message} />}
      </Match>
    </Switch>
  );
}

/** Pages of the catalog section: "商品" stays highlighted on all of them. */
const CATALOG_PATH = /\/admin\/(?:products|categories|product-types|low-stock)(?:\/|$)/;
/** Pages of the order section: the list, one order, batch shipping. */
const ORDERS_PATH = /\/admin\/orders(?:\/|$)/;

function AdminNav(props: { me: AdminMe; onLogout: () => void }) {
  const { t } = useI18n();
  const location = useLocation();
  return (
    <>
      <A href="/admin" end activeClass="active" data-testid="nav-admin-home">{t('admin.nav.home')}</A>
      <Show when={can(props.me.staff, 'products.view')}>
        <A href="/admin/products" classList={{ active: CATALOG_PATH.test(location.pathname) }} data-testid="nav-products">{t('admin.nav.products')}</A>
      </Show>
      <Show when={can(props.me.staff, 'orders.view')}>
        <A href="/admin/orders" classList={{ active: ORDERS_PATH.test(location.pathname) }} data-testid="nav-orders">{t('admin.nav.orders')}</A>
      </Show>
      <Show when={distributionHome(props.me.staff)}>
        {(href) => <A href={href()} classList={{ active: DISTRIBUTION_PATH.test(location.pathname) }} data-testid="nav-distribution">{t('admin.nav.distribution')}</A>}
      </Show>
      <Show when={can(props.me.staff, 'aftersales.manage')}>
        <A href="/admin/after-sales" activeClass="active" data-testid="nav-after-sales">{t('admin.nav.afterSales')}</A>
      </Show>
      <Show when={can(props.me.staff, 'products.view')}>
        <A href="/admin/reviews" activeClass="active" data-testid="nav-reviews">{t('admin.nav.reviews')}</A>
      </Show>
      <Show when={can(props.me.staff, 'plugins.manage')}>
        <A href="/admin/plugins" classList={{ active: PLUGINS_PATH.test(location.pathname) }} data-testid="nav-plugins">{t('admin.nav.plugins')}</A>
      </Show>
      <Show when={can(props.me.staff, 'settings.view')}>
        <A href="/admin/settings" activeClass="active" data-testid="nav-settings">{t('admin.nav.settings')}</A>
      </Show>
      <Show when={can(props.me.staff, 'audit.view')}>
        <A href="/admin/audit" activeClass="active" data-testid="nav-audit">{t('admin.nav.audit')}</A>
      </Show>
      <A href="/" end data-testid="nav-storefront">{t('admin.nav.storefront')}</A>
      <span class="spacer" />
      <button type="button" class="link" data-testid="admin-logout" onClick={() => props.onLogout()}>{t('common.logout')}</button>
    </>
  );
}
