import { A } from '@solidjs/router';
import { For, Match, Show, Switch, type Accessor } from 'solid-js';
import { AdminFrame, can } from '~/components/AdminFrame';
import { AuditList } from '~/components/AuditList';
import { ShopGate } from '~/components/ShopGate';
import { api } from '~/lib/api';
import { createClientData, failedError, readyValue } from '~/lib/client-data';
import { useI18n } from '~/lib/i18n-context';
import type { AdminMe, AuditPage, LowStockItem, PermissionLabel } from '~/lib/types';

/** Admin home: the shop, who is signed in with which roles and permissions, the latest activity. */
export default function AdminHome() {
  const { t } = useI18n();
  return (
    <ShopGate>
      {(shop) => (
        <AdminFrame shop={shop} title={t('admin.nav.home')}>
          {(me) => (
            <>
              <ShopCard me={me} />
              <Show when={can(me().staff, 'products.view')}><LowStockAlert /></Show>
              <StaffCard me={me} />
              <Show when={can(me().staff, 'audit.view')}><LatestAudit /></Show>
            </>
          )}
        </AdminFrame>
      )}
    </ShopGate>
  );
}

function ShopCard(props: { me: Accessor<AdminMe> }) {
  const { t, tOr } = useI18n();
  const shop = () => props.me().shop;
  return (
    <section class="card">
      <h1 data-testid="admin-shop-name">{shop().name}</h1>
      <dl class="facts">
        <dt>{t('admin.plan')}</dt><dd data-testid="admin-shop-plan">{tOr(`plan.${shop().plan}`, shop().plan)}</dd>
        <dt>{t('admin.status')}</dt><dd data-testid="admin-shop-status">{tOr(`shop.status.${shop().status}`, shop().status)}</dd>
      </dl>
    </section>
  );
}

/** B4: the low-stock alert, only when some SKU is at or below its product's threshold. */
function LowStockAlert() {
  const { t } = useI18n();
  const [items] = createClientData(async () => (await api.get<{ items: LowStockItem[] }>('/api/admin/low-stock')).items);
  return (
    <Show when={readyValue(items())?.length}>
      {(count) => (
        <p class="alert warn" data-testid="low-stock-alert">
          {t('lowStock.alert', { n: count() })} <A href="/admin/low-stock">{t('lowStock.view')}</A>
        </p>
      )}
    </Show>
  );
}

function StaffCard(props: { me: Accessor<AdminMe> }) {
  const { t, tOr, lang } = useI18n();
  const staff = () => props.me().staff;
  // Localized permission labels need roles.view; without it the keys themselves are shown.
  const [labels] = createClientData(async () =>
    can(staff(), 'roles.view') ? (await api.get<{ permissions: PermissionLabel[] }>('/api/admin/permissions')).permissions : []);
  const label = (key: string) => {
    const found = readyValue(labels())?.find((p) => p.key === key);
    return found ? (lang() === 'en' ? found.en : found.zh) : key;
  };
  return (
    <section class="card">
      <h2>{t('admin.me')}</h2>
      <p>
        <strong data-testid="admin-staff-name">{staff().name}</strong>{' '}
        <Show when={staff().isOwner}><span class="badge" data-testid="admin-owner">{t('admin.owner')}</span></Show>
      </p>
      <p class="muted" data-testid="admin-staff-email">{staff().email}</p>
      <h3>{t('admin.roles')}</h3>
      <Show when={staff().roles.length > 0} fallback={<p class="muted">{t('admin.noRoles')}</p>}>
        <ul class="tags">
          <For each={staff().roles}>
            {(role) => <li data-testid="admin-role" data-role-id={role.id}>{role.builtin ? tOr(`role.${role.builtin}`, role.name) : role.name}</li>}
          </For>
        </ul>
      </Show>
      <h3>{t('admin.permissions')}</h3>
      <Show when={staff().permissions.length > 0} fallback={<p class="muted">{t('admin.noPermissions')}</p>}>
        <ul class="tags small">
          <For each={staff().permissions}>
            {(key) => <li data-testid="admin-permission" data-permission={key} title={key}>{label(key)}</li>}
          </For>
        </ul>
      </Show>
    </section>
  );
}

function LatestAudit() {
  const { t } = useI18n();
  const [page] = createClientData(() => api.get<AuditPage>('/api/admin/audit?limit=5'));
  return (
    <section class="card">
      <div class="card-head">
        <h2>{t('admin.latestAudit')}</h2>
        <A href="/admin/audit" data-testid="admin-audit-link">{t('admin.allAudit')}</A>
      </div>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(page())}>{(error) => <p class="alert">{error().message}</p>}</Match>
        <Match when={readyValue(page())}>{(p) => <AuditList items={p().items} />}</Match>
      </Switch>
    </section>
  );
}
