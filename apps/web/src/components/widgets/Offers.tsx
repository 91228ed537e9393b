import { For, Show } from 'solid-js';
import { formatFen } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { Gift, Offer, PricedLine, Totals } from '~/lib/types';
import './widgets.css';

/**
 * Discounts line by line (cart and checkout): under a line, each plugin offer on it (限时秒杀
 * −¥20.00) and what the line then costs; every amount is the API's, never computed here.
 */
export function LineOffers(props: { line: PricedLine; testid?: string }) {
  const { t } = useI18n();
  /** An order-wide offer (满减 coupon) is spread over lines: the part of this line's discount no line offer names. */
  const orderShare = () => props.line.discount - (props.line.offers ?? []).reduce((n, o) => n + o.amount, 0);
  return (
    <Show when={props.line.discount > 0 || (props.line.offers ?? []).length > 0}>
      <ul class="line-offers" data-testid={props.testid ?? 'line-offers'} data-sku={props.line.skuId}
        data-discount={props.line.discount} data-paid={props.line.paidAmount}>
        <For each={props.line.offers ?? []}>
          {(offer) => (
            <li data-testid="line-offer" data-plugin={offer.pluginId} data-amount={offer.amount}>
              <span>{offer.label}</span><span>-{formatFen(offer.amount)}</span>
            </li>
          )}
        </For>
        <Show when={orderShare() > 0}>
          <li data-testid="line-offer-share" data-amount={orderShare()}><span>{t('mkt.offers.orderShare')}</span><span>-{formatFen(orderShare())}</span></li>
        </Show>
        <li><span class="muted">{t('mkt.offers.linePaid')}</span><span class="line-paid" data-testid="line-paid">{formatFen(props.line.paidAmount)}</span></li>
      </ul>
    </Show>
  );
}

/**
 * 商品金额, then every offer (label −¥amount, points used), gifts, 运费, 应付: the offers block
 * sits above the total so the buyer sees where each discount came from.
 */
export function OffersTotals(props: { totals: Totals; offers?: Offer[]; gifts?: Gift[]; adjustments?: { label: string; amount: number }[]; totalTestid: string }) {
  const { t } = useI18n();
  const rows = () => (props.offers && props.offers.length > 0 ? props.offers : (props.adjustments ?? []).map((a) => ({ pluginId: '', kind: '', label: a.label, amount: a.amount, points: 0, ref: null })));
  return (
    <dl class="totals" data-testid="totals">
      <dt>{t('totals.items')}</dt>
      <dd data-testid="totals-items">{formatFen(props.totals.itemsTotal)}</dd>
      <Show when={rows().length > 0}>
        <div class="offers-block" data-testid="offers" style={{ display: 'contents' }}>
          <For each={rows()}>
            {(offer) => (
              <>
                <dt class="muted" data-testid="offer-label" data-plugin={offer.pluginId}>
                  {offer.label}
                </dt>
                <dd class="discount" data-testid="offer-amount" data-plugin={offer.pluginId} data-amount={offer.amount}>-{formatFen(offer.amount)}</dd>
              </>
            )}
          </For>
        </div>
      </Show>
      <Show when={props.totals.discountTotal > 0 && rows().length === 0}>
        <dt>{t('totals.discount')}</dt>
        <dd class="discount">-{formatFen(props.totals.discountTotal)}</dd>
      </Show>
      <Show when={(props.totals.pointsUsed ?? 0) > 0}>
        <dt>{t('mkt.offers.pointsUsed')}</dt>
        <dd data-testid="totals-points" data-points={props.totals.pointsUsed}>{t('mkt.offers.pointsN', { n: props.totals.pointsUsed ?? 0 })}</dd>
      </Show>
      <For each={props.gifts ?? []}>
        {(gift) => (
          <>
            <dt class="muted" data-testid="offer-gift">{gift.label}</dt>
            <dd>{t('mkt.offers.gift', { n: gift.quantity })}</dd>
          </>
        )}
      </For>
      <Show when={props.totals.discountTotal > 0 && rows().length > 1}>
        <dt>{t('mkt.offers.saved')}</dt>
        <dd class="discount" data-testid="totals-discount" data-amount={props.totals.discountTotal}>-{formatFen(props.totals.discountTotal)}</dd>
      </Show>
      <dt>{t('totals.shipping')}</dt>
      <dd data-testid="totals-shipping">{props.totals.shippingFee === 0 && props.totals.itemsTotal > 0 ? t('totals.freeShipping') : formatFen(props.totals.shippingFee)}</dd>
      <dt class="total-label">{t('totals.pay')}</dt>
      <dd class="price total" data-testid={props.totalTestid} data-fen={props.totals.payTotal}>{formatFen(props.totals.payTotal)}</dd>
    </dl>
  );
}
