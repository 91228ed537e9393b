import { A } from '@solidjs/router';
import { createSignal, onMount, Show } from 'solid-js';
import { Field, FormAlert } from '~/components/Field';
import { PageShell } from '~/components/PageShell';
import { api } from '~/lib/api';
import { createForm } from '~/lib/form';
import { useI18n } from '~/lib/i18n-context';
import type { SignupResponse } from '~/lib/types';

/** Which field each signup error belongs to. */
const fieldOfCode = {
  SLUG_TAKEN: 'slug', SLUG_RESERVED: 'slug', SLUG_INVALID: 'slug',
  EMAIL_TAKEN: 'email', WEAK_PASSWORD: 'password',
} as const;

/** Platform signup: creates the account and the shop, then opens the shop's admin by its ticket. */
export default function Signup() {
  const { t } = useI18n();
  const form = createForm({ email: '', password: '', shopName: '', slug: '' }, fieldOfCode);
  const [done, setDone] = createSignal<SignupResponse>();
  const [host, setHost] = createSignal('localhost');
  onMount(() => setHost(window.location.host));

  const address = () => `${form.values().slug.trim().toLowerCase() || 'your-shop'}.${host()}`;

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void form.submit(async (values) => {
      const result = await api.post<SignupResponse>('/api/platform/signup', values);
      setDone(result);
      // A real page load on the shop's own host: the ticket turns into the staff session there.
      window.location.assign(result.adminUrl);
    });
  };

  return (
    <PageShell title={t('app.name')} narrow>
      <h1>{t('signup.title')}</h1>
      <Show when={done()} fallback={
        <form class="card form" method="post" noValidate onSubmit={submit} data-testid="signup-form">
          <Field name="email" type="email" inputmode="email" autocomplete="email" label={t('signup.email')}
            value={form.values().email} onInput={(v) => form.set('email', v)} error={form.errors().email} />
          <Field name="password" type="password" autocomplete="new-password" label={t('signup.password')} hint={t('signup.passwordHint')}
            value={form.values().password} onInput={(v) => form.set('password', v)} error={form.errors().password} />
          <Field name="shopName" autocomplete="organization" label={t('signup.shopName')}
            value={form.values().shopName} onInput={(v) => form.set('shopName', v)} error={form.errors().shopName} />
          <Field name="slug" label={t('signup.slug')} inputmode="url"
            hint={<span data-testid="slug-hint">{t('signup.slugHint', { address: address() })}</span>}
            value={form.values().slug} onInput={(v) => form.set('slug', v)} error={form.errors().slug} />
          <FormAlert message={form.errors().form} />
          <button type="submit" class="button primary block" data-testid="signup-submit" disabled={form.busy()}>
            {form.busy() ? t('signup.submitting') : t('signup.submit')}
          </button>
          <p class="center"><A href="/platform/login">{t('signup.haveAccount')}</A></p>
        </form>
      }>
        {(result) => (
          <section class="card" data-testid="signup-done">
            <p>{t('signup.done')}</p>
            <p><a class="button primary block" href={result().adminUrl} data-testid="signup-admin-link">{t('signup.openAdmin')}</a></p>
            <p class="center"><a href={result().adminPathUrl} data-testid="signup-admin-path-link">{t('signup.openAdminPath')}</a></p>
          </section>
        )}
      </Show>
    </PageShell>
  );
}
