import { For, Show } from 'solid-js';
import { fileUrl } from '~/lib/api';
import { specLabel } from '~/lib/catalog';
import { formatFen } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { Adjustment, OrderStatus, Totals } from '~/lib/types';

/** A product line of a cart preview or an order: picture, title, specs, unit price × quantity. */
export function LineRow(props: {
  line: { title: string | null; specs: Record<string, string>; image: string | null; unitPrice: number | null; quantity: number };
  amount?: number;
  testid?: string;
}) {
  const { t } = useI18n();
  return (
    <div class="line-row" data-testid={props.testid}>
      <Thumb image={props.line.image} />
      <div class="line-main">
        <div class="line-title">{props.line.title ?? t('cart.goneTitle')}</div>
        <Show when={Object.keys(props.line.specs).length > 0}><div class="muted small">{specLabel(props.line.specs)}</div></Show>
        <div class="line-meta">
          <span class="price">{props.line.unitPrice === null ? '—' : formatFen(props.line.unitPrice)}</span>
          <span class="muted small">×{props.line.quantity}</span>
        </div>
      </div>
      <Show when={props.amount !== undefined}><div class="line-amount">{formatFen(props.amount ?? 0)}</div></Show>
    </div>
  );
}

export function Thumb(props: { image: string | null; size?: 'small' }) {
  const { t } = useI18n();
  return (
    <div class="thumb" classList={{ small: props.size === 'small' }}>
      <Show when={props.image} fallback={<span class="no-image">{t('product.noImage')}</span>}>
        {(image) => <img src={fileUrl(image())} alt="" loading="lazy" />}
      </Show>
    </div>
  );
}

/** 商品金额, 优惠 (and what gave it), 运费, 应付 — every amount from the API, never computed here. */
export function TotalsTable(props: { totals: Totals; adjustments?: Adjustment[]; totalTestid: string; totalLabel?: string }) {
  const { t } = useI18n();
  return (
    <dl class="totals" data-testid="totals">
      <dt>{t('totals.items')}</dt>
      <dd data-testid="totals-items">{formatFen(props.totals.itemsTotal)}</dd>
      <For each={props.adjustments ?? []}>
        {(adjustment) => (
          <>
            <dt class="muted">{adjustment.label}</dt>
            <dd class="discount">-{formatFen(adjustment.amount)}</dd>
          </>
        )}
      </For>
      <Show when={props.totals.discountTotal > 0 && (props.adjustments ?? []).length === 0}>
        <dt>{t('totals.discount')}</dt>
        <dd class="discount">-{formatFen(props.totals.discountTotal)}</dd>
      </Show>
      <dt>{t('totals.shipping')}</dt>
      <dd data-testid="totals-shipping">{props.totals.shippingFee === 0 && props.totals.itemsTotal > 0 ? t('totals.freeShipping') : formatFen(props.totals.shippingFee)}</dd>
      <dt class="total-label">{props.totalLabel ?? t('totals.pay')}</dt>
      <dd class="price total" data-testid={props.totalTestid}>{formatFen(props.totals.payTotal)}</dd>
    </dl>
  );
}

/**
 * 待付款 / 待发货 / …: a status as a coloured label. The buyer reads `shipped` as 待收货; the
 * merchant (`audience="admin"`) as 已发货.
 */
export function StatusBadge(props: { status: OrderStatus; testid?: string; audience?: 'buyer' | 'admin' }) {
  const { tOr } = useI18n();
  const prefix = () => (props.audience === 'admin' ? 'adminOrderStatus' : 'orderStatus');
  return (
    <span class={`order-status status-${props.status}`} data-testid={props.testid ?? 'order-status'} data-status={props.status}>
      {tOr(`${prefix()}.${props.status}`, props.status)}
    </span>
  );
}
