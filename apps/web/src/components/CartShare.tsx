import { createSignal, Show } from 'solid-js';
import { api } from '~/lib/api';
import { currentBasePath } from '~/lib/base';
import { useLoginRedirect } from '~/lib/buyer';
import { toApiError } from '~/lib/client-data';
import { useI18n } from '~/lib/i18n-context';

/** 分享购物车: makes a share link (`/cart/shared/:token`, base-aware) and copies it when the browser allows. */
export function ShareCartButton() {
  const { t } = useI18n();
  const toLogin = useLoginRedirect();
  const [busy, setBusy] = createSignal(false);
  const [message, setMessage] = createSignal<string>();
  const [url, setUrl] = createSignal<string>();
  const [error, setError] = createSignal<string>();

  async function share() {
    if (busy()) return;
    setBusy(true);
    setError(undefined);
    try {
      const { token } = await api.post<{ token: string }>('/api/cart/share');
      const link = `${location.origin}${currentBasePath()}/cart/shared/${encodeURIComponent(token)}`;
      setUrl(link);
      try {
        await navigator.clipboard.writeText(link);
        setMessage(t('cartShare.copied', { url: link }));
      } catch {
        // Plain HTTP or no permission: show the link to copy by hand.
        setMessage(t('cartShare.link', { url: link }));
      }
    } catch (e) {
      const apiError = toApiError(e);
      if (toLogin(apiError)) return;
      setError(apiError.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card" data-testid="cart-share">
      <button type="button" class="button" disabled={busy()} data-testid="cart-share-button" onClick={() => void share()}>{t('cartShare.share')}</button>
      <Show when={message()}>{(text) => <p class="notice small break" data-testid="cart-share-link" data-url={url()}>{text()}</p>}</Show>
      <Show when={error()}>{(text) => <p class="alert">{text()}</p>}</Show>
    </section>
  );
}
