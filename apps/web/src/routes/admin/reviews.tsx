import { A } from '@solidjs/router';
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { stars } from '~/components/AfterSaleParts';
import { can } from '~/components/AdminFrame';
import { AdminPage } from '~/components/AdminPage';
import { api } from '~/lib/api';
import { createClientData, failedError, readyValue, toApiError } from '~/lib/client-data';
import { formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { AdminReview } from '~/lib/types';

/** C9: review moderation: the latest reviews with hide / show (products.manage). */
export default function AdminReviews() {
  const { t } = useI18n();
  return (
    <AdminPage title={t('adminReviews.title')} permission="products.view">
      {(me) => <ReviewList canManage={can(me().staff, 'products.manage')} />}
    </AdminPage>
  );
}

function ReviewList(props: { canManage: boolean }) {
  const { t } = useI18n();
  const [data] = createClientData(() => api.get<{ items: AdminReview[] }>('/api/admin/reviews'));
  return (
    <>
      <h1>{t('adminReviews.title')}</h1>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())}>{(e) => <p class="alert">{e().message}</p>}</Match>
        <Match when={readyValue(data())}>
          {(list) => (
            <Show when={list().items.length > 0} fallback={<p class="empty muted" data-testid="reviews-empty">{t('adminReviews.empty')}</p>}>
              <ul class="plain-list" data-testid="admin-reviews">
                <For each={list().items}>{(review) => <ReviewRow review={review} canManage={props.canManage} />}</For>
              </ul>
            </Show>
          )}
        </Match>
      </Switch>
    </>
  );
}

function ReviewRow(props: { review: AdminReview; canManage: boolean }) {
  const { t, lang } = useI18n();
  const [hidden, setHidden] = createSignal(props.review.hidden);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  async function toggle() {
    if (busy()) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.post(`/api/admin/reviews/${encodeURIComponent(props.review.id)}/visibility`, { hidden: !hidden() });
      setHidden(!hidden());
    } catch (e) {
      setError(toApiError(e).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <li class="card" classList={{ unavailable: hidden() }} data-testid="admin-review" data-id={props.review.id} data-hidden={hidden() ? 'yes' : 'no'}>
      <div class="card-head">
        <span class="stars">{stars(props.review.rating)}</span>
        <Show when={hidden()}><span class="order-status">{t('adminReviews.hidden')}</span></Show>
      </div>
      <Show when={props.review.text}><p class="pre-line" data-testid="admin-review-text">{props.review.text}</p></Show>
      <p class="muted small">
        <A href={`/admin/products/${encodeURIComponent(props.review.productId)}`}>{t('adminReviews.product', { id: props.review.productId.slice(0, 8) })}</A>
        {' · '}{formatTime(lang(), props.review.createdAt)}
      </p>
      <Show when={error()}>{(message) => <p class="alert">{message()}</p>}</Show>
      <Show when={props.canManage}>
        <button type="button" class="button compact" disabled={busy()} data-testid="review-visibility" onClick={() => void toggle()}>
          {hidden() ? t('adminReviews.show') : t('adminReviews.hide')}
        </button>
      </Show>
    </li>
  );
}
