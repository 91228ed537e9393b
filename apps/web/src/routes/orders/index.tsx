import { A, useSearchParams } from '@solidjs/router';
import { createEffect, For, on, Show, type Accessor } from 'solid-js';
import { CursorListView } from '~/components/CursorList';
import { StatusBadge, Thumb } from '~/components/OrderParts';
import { ShopGate } from '~/components/ShopGate';
import { StorePage } from '~/components/StorePage';
import { api, queryString } from '~/lib/api';
import { ORDER_TABS, useLoginRedirect } from '~/lib/buyer';
import { specLabel } from '~/lib/catalog';
import { createCursorList } from '~/lib/cursor-list';
import { formatFen, formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import { ORDER_STATUSES, type OrderListItem, type OrderPage, type OrderStatus, type ShopInfo } from '~/lib/types';

/** C5: the buyer's orders, newest first, by status tab (全部/待付款/待发货/待收货/已完成), "load more". */
export default function OrdersPage() {
  return <ShopGate>{(shop) => <OrdersView shop={shop} />}</ShopGate>;
}

const isStatus = (value: unknown): value is OrderStatus => typeof value === 'string' && (ORDER_STATUSES as readonly string[]).includes(value);

function OrdersView(props: { shop: Accessor<ShopInfo> }) {
  const { t, tOr } = useI18n();
  const toLogin = useLoginRedirect();
  const [params] = useSearchParams<{ status?: string }>();
  const status = () => (isStatus(params.status) ? params.status : undefined);
  const list = createCursorList((cursor) => api.get<OrderPage>(`/api/orders${queryString({ status: status(), cursor })}`));

  // Effects run in the browser only: the server renders the loading state.
  createEffect(on(status, () => void list.reload()));
  createEffect(() => toLogin(list.error()));

  return (
    <StorePage title={props.shop().name}>
      <h1>{t('orders.title')}</h1>
      <nav class="sort-tabs order-tabs" role="tablist">
        <For each={ORDER_TABS}>
          {(tab) => (
            <A href={`/orders${queryString({ status: tab.status })}`} role="tab" aria-selected={status() === tab.status}
              classList={{ active: status() === tab.status }} data-testid={`order-tab-${tab.key}`}>
              {t(`orders.tab.${tab.key}`)}
            </A>
          )}
        </For>
      </nav>
      <Show when={status() && !ORDER_TABS.some((tab) => tab.status === status())}>
        <p class="muted small">{tOr(`orderStatus.${status() ?? ''}`, status() ?? '')}</p>
      </Show>
      <CursorListView list={list} testid="orders" class="order-list"
        empty={<section class="empty" data-testid="orders-empty"><p class="muted">{t('orders.empty')}</p><A class="button" href="/">{t('cart.shop')}</A></section>}>
        {(order) => <OrderRow order={order} />}
      </CursorListView>
    </StorePage>
  );
}

function OrderRow(props: { order: OrderListItem }) {
  const { t, lang } = useI18n();
  const pieces = () => props.order.lines.reduce((n, l) => n + l.quantity, 0);
  return (
    <li>
      <A href={`/orders/${props.order.id}`} class="card order-row plain-link" data-testid="order-row" data-id={props.order.id} data-status={props.order.status}>
        <div class="order-row-head">
          <span class="muted small">{formatTime(lang(), props.order.createdAt)}</span>
          <StatusBadge status={props.order.status} />
        </div>
        <For each={props.order.lines.slice(0, 3)}>
          {(line) => (
            <div class="order-row-line">
              <Thumb image={line.image} size="small" />
              <div class="line-main">
                <div class="line-title">{line.title}</div>
                <div class="muted small">{specLabel(line.specs)}</div>
              </div>
              <div class="muted small">×{line.quantity}</div>
            </div>
          )}
        </For>
        <Show when={props.order.lines.length > 3}><p class="muted small">{t('orders.moreLines', { n: props.order.lines.length - 3 })}</p></Show>
        <div class="order-row-foot">
          <span class="muted small">{t('orders.pieces', { n: pieces() })}</span>
          <span>{t('orders.total')} <strong class="price" data-testid="order-row-total">{formatFen(props.order.payTotal)}</strong></span>
        </div>
        <Show when={props.order.status === 'pending_payment'}>
          <p class="order-row-cta"><span class="button compact primary">{t('orders.goPay')}</span></p>
        </Show>
      </A>
    </li>
  );
}
