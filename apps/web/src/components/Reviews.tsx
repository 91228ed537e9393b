import { For, Show } from 'solid-js';
import { api } from '~/lib/api';
import { createClientData, readyValue } from '~/lib/client-data';
import { formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { ProductReviews } from '~/lib/types';
import { stars } from './AfterSaleParts';

/** How many reviews the product page shows (the API sends the latest 50). */
const SHOWN = 10;

/** C9: a product's rating average and count and its latest reviews. Review text is plain text: rendered as text. */
export function ProductReviewsCard(props: { productId: string }) {
  const { t, lang } = useI18n();
  const [data] = createClientData(() => api.get<ProductReviews>(`/api/catalog/products/${encodeURIComponent(props.productId)}/reviews`));
  return (
    <section class="card" data-testid="product-reviews">
      <h2>{t('reviews.title')}</h2>
      <Show when={readyValue(data())} fallback={<p class="muted small">{t('common.loading')}</p>}>
        {(reviews) => (
          <Show when={reviews().count > 0} fallback={<p class="muted small" data-testid="reviews-none">{t('reviews.none')}</p>}>
            <p data-testid="reviews-summary">
              <span class="stars" aria-hidden="true">{stars(reviews().average ?? 0)}</span>{' '}
              {t('reviews.summary', { average: (reviews().average ?? 0).toFixed(1), count: reviews().count })}
            </p>
            <ul class="plain-list reviews">
              <For each={reviews().items.slice(0, SHOWN)}>
                {(review) => (
                  <li data-testid="review" data-rating={review.rating}>
                    <div class="small"><span class="stars">{stars(review.rating)}</span> <span class="muted">{formatTime(lang(), review.createdAt)}</span></div>
                    <Show when={review.text}><p class="pre-line" data-testid="review-text">{review.text}</p></Show>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
    </section>
  );
}
