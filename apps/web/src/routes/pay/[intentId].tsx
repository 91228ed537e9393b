import { A, useNavigate, useParams } from '@solidjs/router';
import { createSignal, Match, Show, Switch, type Accessor } from 'solid-js';
import { StatusBadge } from '~/components/OrderParts';
import { ShopGate } from '~/components/ShopGate';
import { StorePage } from '~/components/StorePage';
import { api } from '~/lib/api';
import { createMemberData, useLoginRedirect } from '~/lib/buyer';
import { failedError, readyValue, toApiError } from '~/lib/client-data';
import { formatFen } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { OrderStatus, SandboxPayment, ShopInfo } from '~/lib/types';

/** C3 step 3 / C4: the sandbox cashier. A real provider's page would stand here. */
export default function PayPage() {
  const params = useParams<{ intentId: string }>();
  return (
    <ShopGate>
      {(shop) => <Show when={params.intentId} keyed>{(id) => <Cashier shop={shop} intentId={id} />}</Show>}
    </ShopGate>
  );
}

function Cashier(props: { shop: Accessor<ShopInfo>; intentId: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const toLogin = useLoginRedirect();
  const path = `/api/payments/sandbox/${encodeURIComponent(props.intentId)}`;
  const [data, { reload }] = createMemberData(() => api.get<SandboxPayment>(path));
  const [busy, setBusy] = createSignal<'paid' | 'failed'>();
  /** This visit's outcome: a failed attempt shows 重新支付 instead of the two buttons. */
  const [failedOnce, setFailedOnce] = createSignal(false);
  const [error, setError] = createSignal<string>();
  /** The API refused to pay this intent again (ORDER_STATE): stop offering the button. */
  const [refused, setRefused] = createSignal(false);

  async function complete(outcome: 'paid' | 'failed') {
    if (busy()) return;
    setBusy(outcome);
    setError(undefined);
    try {
      const result = await api.post<{ result: string; order: { id: string; status: OrderStatus } }>(`${path}/complete`, { outcome });
      if (outcome === 'paid') {
        navigate(`/orders/${encodeURIComponent(result.order.id)}`, { replace: true });
        return;
      }
      setFailedOnce(true);
      await reload();
    } catch (e) {
      const apiError = toApiError(e);
      if (toLogin(apiError)) return;
      setError(apiError.message);
      if (apiError.code === 'ORDER_STATE') setRefused(true);
      await reload();
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <StorePage title={props.shop().name} narrow>
      <h1>{t('pay.title')}</h1>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())?.code === 'UNAUTHENTICATED'}><p class="muted">{t('common.loading')}</p></Match>
        <Match when={failedError(data())}>
          {(e) => (
            <section class="empty" data-testid="pay-missing">
              <p class="alert">{e().message}</p>
              <A class="button" href="/orders">{t('orders.title')}</A>
            </section>
          )}
        </Match>
        <Match when={readyValue(data())}>
          {(p) => {
            const payable = () => p().intent.status === 'pending' && p().order.status === 'pending_payment';
            /** A failed attempt (this visit, or the intent says so): 重新支付 pays the same order again. */
            const retryable = () => p().order.status === 'pending_payment' && (p().intent.status === 'failed' || (payable() && failedOnce()));
            return (
              <section class="card cashier" data-testid="cashier" data-intent-status={p().intent.status}>
                <p class="muted small">{t('pay.sandboxNote')}</p>
                <dl class="facts">
                  <dt>{t('orders.orderNo')}</dt>
                  <dd data-testid="pay-order-no">{p().order.orderNo}</dd>
                  <dt>{t('orders.status')}</dt>
                  <dd><StatusBadge status={p().order.status} /></dd>
                </dl>
                <p class="cashier-amount">
                  <span class="muted small">{t('pay.amount')}</span>
                  <strong class="price big" data-testid="pay-amount">{formatFen(p().intent.amount)}</strong>
                </p>
                <Show when={error()}>{(message) => <p class="alert" role="alert" data-testid="pay-error">{message()}</p>}</Show>
                <Switch fallback={<A class="button block" href={`/orders/${p().order.id}`} data-testid="pay-view-order">{t('pay.viewOrder')}</A>}>
                  <Match when={retryable()}>
                    <p class="alert" role="alert" data-testid="pay-failed">{t('pay.failed')}</p>
                    <div class="stack">
                      <Show when={!refused()}>
                        <button type="button" class="button primary block" data-testid="pay-retry" disabled={!!busy()} onClick={() => void complete('paid')}>
                          {busy() === 'paid' ? t('pay.paying') : t('pay.retry')}
                        </button>
                      </Show>
                      <A class="button block" href={`/orders/${p().order.id}`} data-testid="pay-view-order">{t('pay.viewOrder')}</A>
                    </div>
                  </Match>
                  <Match when={payable()}>
                    <div class="stack">
                      <button type="button" class="button primary block" data-testid="pay-success" disabled={!!busy()} onClick={() => void complete('paid')}>
                        {busy() === 'paid' ? t('pay.paying') : t('pay.success')}
                      </button>
                      <button type="button" class="button block" data-testid="pay-fail" disabled={!!busy()} onClick={() => void complete('failed')}>
                        {t('pay.fail')}
                      </button>
                    </div>
                  </Match>
                  <Match when={p().order.status !== 'pending_payment'}>
                    <p class="notice" data-testid="pay-done">
                      {p().order.status === 'cancelled' || p().order.status === 'closed' ? t('pay.orderClosed') : t('pay.alreadyPaid')}
                    </p>
                    <A class="button primary block" href={`/orders/${p().order.id}`} data-testid="pay-view-order">{t('pay.viewOrder')}</A>
                  </Match>
                </Switch>
              </section>
            );
          }}
        </Match>
      </Switch>
    </StorePage>
  );
}
