import { Show, type Accessor, type JSX } from 'solid-js';
import { useI18n } from '~/lib/i18n-context';
import type { AdminMe } from '~/lib/types';
import { AdminFrame, can } from './AdminFrame';
import { ShopGate } from './ShopGate';

/**
 * An admin page for staff holding `permission`; others see 无权限. `header` comes first for the
 * permitted (a section's tabs).
 */
export function AdminPage(props: {
  title: string;
  permission: string;
  header?: (me: Accessor<AdminMe>) => JSX.Element;
  children: (me: Accessor<AdminMe>) => JSX.Element;
}) {
  const { t } = useI18n();
  return (
    <ShopGate>
      {(shop) => (
        <AdminFrame shop={shop} title={props.title}>
          {(me) => (
            <Show when={can(me().staff, props.permission)} fallback={<p class="alert" data-testid="forbidden">{t('admin.noPermissions')}</p>}>
              {props.header?.(me)}
              {props.children(me)}
            </Show>
          )}
        </AdminFrame>
      )}
    </ShopGate>
  );
}
