import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createEffect, createMemo, createSignal, For, on, Show } from 'solid-js';
import { StatusBadge } from '~/components/OrderParts';
import { canExportOrders, OrdersAdminPage } from '~/components/OrdersAdmin';
import { FormAlert } from '~/components/Field';
import { api } from '~/lib/api';
import {
  ADMIN_ORDER_TABS, apiOrderQuery, exportCsvUrl, filtersFromParams, noOrderFilters, ORDER_NO_PREFIX, pageOrderQuery, type OrderFilters,
} from '~/lib/admin-orders';
import { specLabel } from '~/lib/catalog';
import { toApiError } from '~/lib/client-data';
import { formatFen, formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import { MEMBER_CHANNELS, type AdminOrderListItem, type AdminOrderPage, type MemberChannel, type OrderStatus } from '~/lib/types';

/** C5/C6/C8: every order of the shop (all channels, every distributor shop) with filters, "load more" and the CSV export. */
export default function AdminOrders() {
  const { t } = useI18n();
  return (
    <OrdersAdminPage title={t('adminOrders.title')}>
      {(me) => <OrderBrowser canExport={canExportOrders(me().staff)} />}
    </OrdersAdminPage>
  );
}

const sameFilters = (a: OrderFilters, b: OrderFilters) =>
  a.status === b.status && a.channel === b.channel && a.from === b.from && a.to === b.to && a.q === b.q;

type DraftErrors = Partial<Record<'q' | 'to', string>>;

function OrderBrowser(props: { canExport: boolean }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // The filters live in the URL: tabs are links, the form navigates; the list follows the URL.
  const applied = createMemo(() => filtersFromParams(params), noOrderFilters, { equals: sameFilters });
  const [draft, setDraft] = createSignal<OrderFilters>(applied());
  const [draftErrors, setDraftErrors] = createSignal<DraftErrors>({});
  const [items, setItems] = createSignal<AdminOrderListItem[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [state, setState] = createSignal<'loading' | 'idle' | 'more'>('loading');
  const [error, setError] = createSignal<string>();
  let generation = 0;

  async function load(filters: OrderFilters, after: string | null) {
    const mine = ++generation;
    setState(after ? 'more' : 'loading');
    setError(undefined);
    try {
      const page = await api.get<AdminOrderPage>(`/api/admin/orders${apiOrderQuery(filters, after)}`);
      if (mine !== generation) return;
      setItems((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (e) {
      if (mine === generation) setError(toApiError(e).message);
    } finally {
      if (mine === generation) setState('idle');
    }
  }

  // Effects run in the browser only: the server renders the loading state.
  createEffect(on(applied, (filters) => {
    setDraft(filters);
    setDraftErrors({});
    setCursor(null);
    void load(filters, null);
  }));

  /** Shows `filters` (a new URL), or reads the same list again when nothing changed. */
  function apply(filters: OrderFilters) {
    if (sameFilters(filters, applied())) void load(filters, null);
    else navigate(`/admin/orders${pageOrderQuery(filters)}`);
  }

  function submit(e: SubmitEvent) {
    e.preventDefault();
    const f = { ...draft(), q: draft().q.replace(/\s+/g, '') };
    const errors: DraftErrors = {};
    if (f.q && !ORDER_NO_PREFIX.test(f.q)) errors.q = t('adminOrders.qInvalid');
    if (f.from && f.to && f.to < f.from) errors.to = t('adminOrders.dateOrder');
    setDraftErrors(errors);
    if (Object.keys(errors).length === 0) apply(f);
  }

  const otherStatus = (): OrderStatus | undefined => {
    const status = applied().status;
    return status !== '' && !ADMIN_ORDER_TABS.some((tab) => tab.status === status) ? status : undefined;
  };

  const set = <K extends keyof OrderFilters>(key: K, value: OrderFilters[K]) => {
    setDraft((prev) => ({ ...prev, [key]: value }));
    if (key === 'q' || key === 'to' || key === 'from') setDraftErrors({});
  };

  return (
    <>
      <div class="page-head">
        <h1>{t('adminOrders.title')}</h1>
        <Show when={props.canExport}>
          {/* A plain link, not the router's: the browser downloads the streamed CSV itself. */}
          <a class="button compact" href={exportCsvUrl(applied())} download="" data-testid="orders-export"
            title={t('adminOrders.exportHint')} rel="nofollow">{t('adminOrders.export')}</a>
        </Show>
      </div>
      <nav class="tabs" role="tablist" aria-label={t('adminOrders.statusTabs')}>
        <For each={ADMIN_ORDER_TABS}>
          {(tab) => (
            <A href={`/admin/orders${pageOrderQuery({ ...applied(), status: tab.status })}`} role="tab"
              aria-selected={applied().status === tab.status} classList={{ active: applied().status === tab.status }}
              data-testid={`orders-tab-${tab.key}`}>
              {t(`adminOrders.tab.${tab.key}`)}
            </A>
          )}
        </For>
      </nav>
      {/* A status without a tab of its own (已收货, 已取消, 退款…), reached by its URL. */}
      <Show when={otherStatus()}>
        {(status) => <p class="small" data-testid="orders-other-status"><StatusBadge status={status()} audience="admin" /></p>}
      </Show>
      <form class="card form filters" role="search" noValidate data-testid="orders-filters" onSubmit={submit}>
        <div class="search-row">
          <input class="input" type="search" inputmode="numeric" maxLength={40} autocomplete="off"
            placeholder={t('adminOrders.searchPlaceholder')} aria-label={t('adminOrders.searchPlaceholder')}
            aria-invalid={draftErrors().q ? 'true' : undefined}
            data-testid="orders-search" value={draft().q} onInput={(e) => set('q', e.currentTarget.value)} />
          <button type="submit" class="button primary" data-testid="orders-search-submit">{t('common.search')}</button>
        </div>
        <Show when={draftErrors().q}>{(message) => <p class="error" role="alert" data-testid="orders-search-error">{message()}</p>}</Show>
        <div class="grid">
          <label class="field">
            <span>{t('adminOrders.channel')}</span>
            <select class="input" data-testid="orders-channel" value={draft().channel}
              onChange={(e) => apply({ ...applied(), channel: e.currentTarget.value as MemberChannel | '' })}>
              <option value="">{t('adminOrders.allChannels')}</option>
              <For each={MEMBER_CHANNELS}>
                {(channel) => <option value={channel} selected={draft().channel === channel}>{t(`channel.${channel}`)}</option>}
              </For>
            </select>
          </label>
          <label class="field">
            <span>{t('adminOrders.from')}</span>
            <input class="input" type="date" data-testid="orders-from" value={draft().from} max={draft().to || undefined}
              onInput={(e) => set('from', e.currentTarget.value)} />
          </label>
          <label class="field" classList={{ invalid: !!draftErrors().to }}>
            <span>{t('adminOrders.to')}</span>
            <input class="input" type="date" data-testid="orders-to" value={draft().to} min={draft().from || undefined}
              aria-invalid={draftErrors().to ? 'true' : undefined} onInput={(e) => set('to', e.currentTarget.value)} />
            <Show when={draftErrors().to}>{(message) => <p class="error" role="alert">{message()}</p>}</Show>
          </label>
          <div class="field filter-buttons">
            <span aria-hidden="true">&nbsp;</span>
            <div class="actions tight">
              <button type="submit" class="button" data-testid="orders-filter-submit">{t('adminOrders.filter')}</button>
              <button type="button" class="button" data-testid="orders-filter-reset"
                onClick={() => apply({ ...noOrderFilters, status: applied().status })}>{t('adminOrders.reset')}</button>
            </div>
          </div>
        </div>
      </form>
      <FormAlert message={error()} />
      <Show when={state() !== 'loading'} fallback={<p class="muted center">{t('common.loading')}</p>}>
        <Show when={items().length > 0} fallback={<Show when={!error()}><p class="card center muted" data-testid="orders-empty">{t('adminOrders.empty')}</p></Show>}>
          <ul class="order-list">
            <For each={items()}>{(order) => <AdminOrderRow order={order} />}</For>
          </ul>
        </Show>
        <Show when={cursor()} fallback={<Show when={items().length > 0}><p class="muted center small" data-testid="orders-end">{t('common.noMore')}</p></Show>}>
          {(next) => (
            <p class="center">
              <button type="button" class="button" data-testid="orders-load-more" disabled={state() === 'more'}
                onClick={() => void load(applied(), next())}>
                {state() === 'more' ? t('common.loading') : t('common.loadMore')}
              </button>
            </p>
          )}
        </Show>
      </Show>
    </>
  );
}

/** One order: number, time, channel, the consignee, what was bought, the amount and the status. */
function AdminOrderRow(props: { order: AdminOrderListItem }) {
  const { t, lang } = useI18n();
  const pieces = () => props.order.lines.reduce((n, l) => n + l.quantity, 0);
  const first = () => props.order.lines[0];
  return (
    <li>
      <A href={`/admin/orders/${props.order.id}`} class="card order-row admin-order-row plain-link" data-testid="order-row"
        data-id={props.order.id} data-order-no={props.order.orderNo} data-status={props.order.status} data-channel={props.order.channel}>
        <div class="order-row-head">
          <strong class="order-no" data-testid="order-row-no">{props.order.orderNo}</strong>
          <StatusBadge status={props.order.status} audience="admin" />
        </div>
        <div class="order-row-meta muted small">
          <span>{formatTime(lang(), props.order.createdAt)}</span>
          <span>{t(`channel.${props.order.channel}`)}</span>
          <span data-testid="order-row-buyer">{props.order.address.name || '—'}</span>
        </div>
        <div class="order-row-summary" data-testid="order-row-lines">
          <Show when={first()}>
            {(line) => (
              <span>
                {line().title}
                <Show when={Object.keys(line().specs).length > 0}><span class="muted"> · {specLabel(line().specs)}</span></Show>
                <span class="muted"> ×{line().quantity}</span>
              </span>
            )}
          </Show>
          <Show when={props.order.lines.length > 1}>
            <span class="muted"> {t('orders.moreLines', { n: props.order.lines.length })}</span>
          </Show>
        </div>
        <div class="order-row-foot">
          <span class="muted small row-pieces">{t('orders.pieces', { n: pieces() })}</span>
          <span class="row-total">{t('orders.total')} <strong class="price" data-testid="order-row-total">{formatFen(props.order.payTotal)}</strong></span>
        </div>
      </A>
    </li>
  );
}
