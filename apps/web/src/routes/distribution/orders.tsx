import { onMount } from 'solid-js';
import { CursorListView } from '~/components/CursorList';
import { DistributorPage } from '~/components/Distribution';
import { EmptyNote } from '~/components/DistributionParts';
import { StatusBadge } from '~/components/OrderParts';
import { api, queryString } from '~/lib/api';
import { createCursorList, type CursorPage } from '~/lib/cursor-list';
import { formatFen, formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { ShopOrder } from '~/lib/types';

/** Orders sold through my shop (D10): buyer masked, amount, state and what each pays me. */
export default function ShopOrdersPage() {
  const { t } = useI18n();
  return <DistributorPage title={t('dist.nav.orders')} testid="shop-orders-page">{() => <ShopOrders />}</DistributorPage>;
}

function ShopOrders() {
  const { t, lang } = useI18n();
  const list = createCursorList((cursor) => api.get<CursorPage<ShopOrder>>(`/api/distribution/orders${queryString({ cursor })}`));
  onMount(() => void list.reload());
  return (
    <CursorListView list={list} testid="shop-orders" empty={<EmptyNote text={t('dist.ordersEmpty')} testid="shop-orders-empty" />}>
      {(order) => (
        <li class="card order-row" data-testid="shop-order" data-order-no={order.orderNo}>
          <div class="order-row-head">
            <span class="order-no small">{order.orderNo}</span>
            <StatusBadge status={order.status} />
          </div>
          <p class="muted small">{order.buyer} · {formatTime(lang(), order.createdAt)}</p>
          <div class="order-row-foot">
            <span>{t('orders.total')} <strong>{formatFen(order.payTotal)}</strong></span>
            <span>{t('dist.myCommission')} <strong class="price" data-testid="shop-order-commission">{formatFen(order.commission)}</strong></span>
          </div>
        </li>
      )}
    </CursorListView>
  );
}
