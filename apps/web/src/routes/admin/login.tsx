import { useNavigate, useSearchParams } from '@solidjs/router';
import { createSignal, onMount, Show, type Accessor } from 'solid-js';
import { Field, FormAlert } from '~/components/Field';
import { PageShell } from '~/components/PageShell';
import { ShopGate } from '~/components/ShopGate';
import { api } from '~/lib/api';
import { toApiError } from '~/lib/client-data';
import { createForm } from '~/lib/form';
import { useI18n } from '~/lib/i18n-context';
import type { ShopInfo } from '~/lib/types';

/** Staff sign-in: the one-time `?ticket=` from signup, or email and password. */
export default function AdminLogin() {
  return <ShopGate>{(shop) => <AdminLoginPage shop={shop} />}</ShopGate>;
}

function AdminLoginPage(props: { shop: Accessor<ShopInfo> }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams<{ ticket?: string }>();
  const [exchanging, setExchanging] = createSignal(typeof params.ticket === 'string' && params.ticket !== '');
  const form = createForm({ email: '', password: '' });

  onMount(() => {
    const ticket = params.ticket;
    if (typeof ticket !== 'string' || ticket === '') return;
    api.post('/api/admin/auth/ticket', { ticket })
      .then(() => navigate('/admin', { replace: true }))
      .catch((e: unknown) => {
        // The ticket is single-use and short-lived: drop it from the URL and offer the form.
        form.setErrors({ form: `${toApiError(e).message} · ${t('adminLogin.ticketFailed')}` });
        navigate('/admin/login', { replace: true });
        setExchanging(false);
      });
  });

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void form.submit(async (values) => {
      await api.post('/api/admin/auth/login', values);
      navigate('/admin', { replace: true });
    });
  };

  return (
    <PageShell title={props.shop().name} narrow>
      <h1>{t('adminLogin.title')}</h1>
      <Show when={!exchanging()} fallback={<p class="muted" data-testid="admin-ticket-pending">{t('adminLogin.usingTicket')}</p>}>
        <form class="card form" method="post" noValidate onSubmit={submit} data-testid="admin-login-form">
          <Field name="email" type="email" inputmode="email" autocomplete="email" label={t('adminLogin.email')}
            value={form.values().email} onInput={(v) => form.set('email', v)} error={form.errors().email} />
          <Field name="password" type="password" autocomplete="current-password" label={t('adminLogin.password')}
            value={form.values().password} onInput={(v) => form.set('password', v)} error={form.errors().password} />
          <FormAlert message={form.errors().form} />
          <button type="submit" class="button primary block" data-testid="admin-login-submit" disabled={form.busy()}>
            {t('adminLogin.submit')}
          </button>
        </form>
      </Show>
    </PageShell>
  );
}
