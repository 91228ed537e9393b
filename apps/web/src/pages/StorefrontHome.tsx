import { A } from '@solidjs/router';
import { Match, Show, Switch, type Accessor } from 'solid-js';
import { PageShell } from '~/components/PageShell';
import { api } from '~/lib/api';
import { createClientData, failedError, readyValue } from '~/lib/client-data';
import { useI18n } from '~/lib/i18n-context';
import type { Catalog, Member, ShopInfo } from '~/lib/types';

/** A shop's home: its name, its catalog (empty for now) and the member's sign-in state. */
export function StorefrontHome(props: { shop: Accessor<ShopInfo> }) {
  const { t } = useI18n();
  const [catalog] = createClientData(() => api.get<Catalog>('/api/catalog'));
  return (
    <PageShell title={props.shop().name}>
      <section class="store-hero">
        <p class="muted">{t('store.welcome')}</p>
        <h1 data-testid="shop-name">{props.shop().name}</h1>
        <MemberBar />
      </section>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(catalog())}>{(error) => <p class="alert">{error().message}</p>}</Match>
        <Match when={readyValue(catalog())}>
          {(c) => (
            <Show when={c().products.length > 0} fallback={<EmptyCatalog />}>
              <p>{c().products.length}</p>
            </Show>
          )}
        </Match>
      </Switch>
      <footer class="store-footer">
        <A href="/admin" data-testid="store-admin-link">{t('store.adminLink')}</A>
      </footer>
    </PageShell>
  );
}

function EmptyCatalog() {
  const { t } = useI18n();
  return (
    <section class="empty" data-testid="catalog-empty">
      <h2>{t('store.empty')}</h2>
      <p class="muted">{t('store.emptyText')}</p>
    </section>
  );
}

/** "Hello, name · log out" for a signed-in member, else links to log in and sign up. */
function MemberBar() {
  const { t } = useI18n();
  const [me, { reload }] = createClientData(() => api.get<{ member: Member }>('/api/member/me'));
  async function logout() {
    await api.post('/api/member/logout').catch(() => undefined);
    await reload();
  }
  return (
    <Switch>
      <Match when={readyValue(me())}>
        {(m) => (
          <p class="member-bar" data-testid="member-signed-in">
            <span data-testid="member-name">{t('store.hello', { name: m().member.nickname || m().member.username })}</span>
            <button type="button" class="link" data-testid="member-logout" onClick={() => void logout()}>{t('common.logout')}</button>
          </p>
        )}
      </Match>
      <Match when={me().state === 'failed'}>
        <p class="actions">
          <A class="button primary" href="/login" data-testid="store-login">{t('store.login')}</A>
          <A class="button" href="/register" data-testid="store-register">{t('store.register')}</A>
        </p>
      </Match>
    </Switch>
  );
}
