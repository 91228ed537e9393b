import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { onMount, Show, type Accessor } from 'solid-js';
import { api, queryString } from '~/lib/api';
import { safeNext } from '~/lib/buyer';
import { useCartCount } from '~/lib/cart-count';
import { forgetRef, normalizeCode, rememberedRef } from '~/lib/distribution';
import { createForm } from '~/lib/form';
import { useI18n } from '~/lib/i18n-context';
import type { ShopInfo } from '~/lib/types';
import { Field, FormAlert } from './Field';
import { PageShell } from './PageShell';

const fieldOfCode = { USERNAME_TAKEN: 'username', WEAK_PASSWORD: 'password' } as const;

/**
 * A buyer's login or registration (username + password). Both go back where the buyer came from
 * (`?next=/checkout?sku=…`, a path inside this shop), else to the shop's home.
 */
export function MemberForm(props: { shop: Accessor<ShopInfo>; mode: 'login' | 'register' }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const cart = useCartCount();
  const [params] = useSearchParams<{ next?: string; ref?: string }>();
  const next = () => (typeof params.next === 'string' ? safeNext(params.next) : '/');
  /** The other form keeps the same way back. */
  const carry = () => queryString({ next: next() === '/' ? undefined : next(), ref: normalizeCode(params.ref) });
  const form = createForm({ username: '', password: '', ref: '' }, fieldOfCode);
  // The invite code of the link that brought the buyer (D3): from this address, else remembered
  // in this browser by the visit; read after hydration (the server has no localStorage).
  onMount(() => form.set('ref', normalizeCode(params.ref) ?? rememberedRef() ?? ''));
  const registering = () => props.mode === 'register';

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void form.submit(async (values) => {
      const ref = values.ref.trim() ? normalizeCode(values.ref) : undefined;
      if (registering() && values.ref.trim() && !ref) {
        form.setErrors({ ref: t('member.refInvalid') });
        return;
      }
      if (registering()) await api.post('/api/member/register', { username: values.username, password: values.password, channel: 'h5', ...(ref ? { ref } : {}) });
      else await api.post('/api/member/login', { username: values.username, password: values.password });
      forgetRef();
      void cart.refresh();
      navigate(next(), { replace: true });
    });
  };

  return (
    <PageShell title={props.shop().name} narrow>
      <h1>{registering() ? t('member.registerTitle') : t('member.loginTitle')}</h1>
      <Show when={next() !== '/'}><p class="notice" data-testid="login-to-continue">{t('member.toContinue')}</p></Show>
      <form class="card form" method="post" noValidate onSubmit={submit} data-testid={`member-${props.mode}-form`}>
        <Field name="username" autocomplete="username" label={t('member.username')} hint={registering() ? t('member.usernameHint') : undefined}
          value={form.values().username} onInput={(v) => form.set('username', v)} error={form.errors().username} />
        <Field name="password" type="password" autocomplete={registering() ? 'new-password' : 'current-password'}
          label={t('member.password')} hint={registering() ? t('member.passwordHint') : undefined}
          value={form.values().password} onInput={(v) => form.set('password', v)} error={form.errors().password} />
        <Show when={registering()}>
          <Field name="ref" label={t('member.ref')} hint={t('member.refHint')} maxLength={12} testid="register-ref"
            value={form.values().ref} onInput={(v) => form.set('ref', v)} error={form.errors().ref} />
        </Show>
        <FormAlert message={form.errors().form} />
        <button type="submit" class="button primary block" data-testid={`${props.mode}-submit`} disabled={form.busy()}>
          {registering() ? t('member.registerSubmit') : t('member.loginSubmit')}
        </button>
        <p class="center">
          {registering()
            ? <A href={`/login${carry()}`} data-testid="to-login">{t('member.toLogin')}</A>
            : <A href={`/register${carry()}`} data-testid="to-register">{t('member.toRegister')}</A>}
        </p>
      </form>
    </PageShell>
  );
}
