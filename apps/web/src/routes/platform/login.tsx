import { A } from '@solidjs/router';
import { For, Match, Show, Switch } from 'solid-js';
import { Field, FormAlert } from '~/components/Field';
import { PageShell } from '~/components/PageShell';
import { api } from '~/lib/api';
import { createClientData, readyValue } from '~/lib/client-data';
import { createForm } from '~/lib/form';
import { useI18n } from '~/lib/i18n-context';
import type { PlatformMe } from '~/lib/types';

/** Platform login; once signed in, the merchant's shops with links to their storefront and admin. */
export default function PlatformLogin() {
  const { t } = useI18n();
  const [me, { reload }] = createClientData(() => api.get<PlatformMe>('/api/platform/me'));
  const form = createForm({ email: '', password: '' });

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void form.submit(async (values) => {
      await api.post('/api/platform/login', values);
      await reload();
    });
  };

  async function logout() {
    await api.post('/api/platform/logout').catch(() => undefined);
    await reload();
  }

  return (
    <PageShell title={t('app.name')} narrow>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={readyValue(me())}>{(current) => <MyShops me={current()} onLogout={() => void logout()} />}</Match>
        <Match when={me().state === 'failed'}>
          <h1>{t('platformLogin.title')}</h1>
          <form class="card form" method="post" noValidate onSubmit={submit} data-testid="platform-login-form">
            <Field name="email" type="email" inputmode="email" autocomplete="email" label={t('platformLogin.email')}
              value={form.values().email} onInput={(v) => form.set('email', v)} error={form.errors().email} />
            <Field name="password" type="password" autocomplete="current-password" label={t('platformLogin.password')}
              value={form.values().password} onInput={(v) => form.set('password', v)} error={form.errors().password} />
            <FormAlert message={form.errors().form} />
            <button type="submit" class="button primary block" data-testid="platform-login-submit" disabled={form.busy()}>
              {t('platformLogin.submit')}
            </button>
            <p class="center"><A href="/platform/signup">{t('platformLogin.noAccount')}</A></p>
          </form>
        </Match>
      </Switch>
    </PageShell>
  );
}

function MyShops(props: { me: PlatformMe; onLogout: () => void }) {
  const { t, tOr } = useI18n();
  return (
    <section data-testid="my-shops">
      <h1>{t('platformLogin.myShops')}</h1>
      <p class="muted">
        {t('platformLogin.signedInAs', { email: props.me.account.email })}{' '}
        <button type="button" class="link" data-testid="platform-logout" onClick={() => props.onLogout()}>{t('common.logout')}</button>
      </p>
      <Show when={props.me.shops.length > 0} fallback={<p>{t('platformLogin.noShops')} <A href="/platform/signup">{t('landing.signup')}</A></p>}>
        <ul class="shop-list">
          <For each={props.me.shops}>
            {(shop) => (
              <li class="card" data-testid="my-shop" data-slug={shop.slug}>
                <h2>{shop.name}</h2>
                <p class="muted">{shop.slug} · {tOr(`plan.${shop.plan}`, shop.plan)} · {tOr(`shop.status.${shop.status}`, shop.status)}</p>
                <p class="actions">
                  <a class="button" href={shop.storefrontUrl} data-testid="my-shop-storefront">{t('platformLogin.storefront')}</a>
                  <a class="button primary" href={shop.adminUrl} data-testid="my-shop-admin">{t('platformLogin.admin')}</a>
                </p>
                <p class="small muted">
                  {t('platformLogin.pathLinks')}: <a href={shop.storefrontPathUrl}>{t('platformLogin.storefront')}</a>
                  {' · '}<a href={shop.adminPathUrl}>{t('platformLogin.admin')}</a>
                </p>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
