import { A, useParams } from '@solidjs/router';
import { createSignal, For, Match, Show, Switch, type Accessor } from 'solid-js';
import { AFTER_SALE_ORDER_STATES, AfterSaleBadge } from '~/components/AfterSaleParts';
import { LineRow } from '~/components/OrderParts';
import { ShopGate } from '~/components/ShopGate';
import { StorePage } from '~/components/StorePage';
import { api } from '~/lib/api';
import { createMemberData, useLoginRedirect } from '~/lib/buyer';
import { failedError, readyValue, toApiError } from '~/lib/client-data';
import { fenToYuanText, formatFen, parseYuan } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { AfterSaleKind, AfterSaleLine, OrderDetail, OrderLine, ShopInfo } from '~/lib/types';

/** C7: request a refund, a return or an exchange for some lines of one order. */
export default function AfterSaleRequestPage() {
  const params = useParams<{ id: string }>();
  return (
    <ShopGate>
      {(shop) => <Show when={params.id} keyed>{(id) => <RequestView shop={shop} id={id} />}</Show>}
    </ShopGate>
  );
}

/** What the API refunds by default for `quantity` of a line: its share of the paid amount, capped at what is left. */
const defaultShare = (line: OrderLine, quantity: number): number =>
  Math.min(line.paidAmount - (line.refundedAmount ?? 0), Math.floor((line.paidAmount * quantity) / line.quantity));

interface Choice {
  chosen: boolean;
  quantity: number;
  amountText: string;
}

function RequestView(props: { shop: Accessor<ShopInfo>; id: string }) {
  const { t } = useI18n();
  const path = `/api/orders/${encodeURIComponent(props.id)}`;
  const [data] = createMemberData(() => api.get<OrderDetail>(path));
  const orderHref = `/orders/${encodeURIComponent(props.id)}`;
  return (
    <StorePage title={props.shop().name} narrow>
      <nav class="crumbs small"><A href={orderHref}>‹ {t('orders.orderNo')}</A></nav>
      <h1>{t('afterSale.title')}</h1>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())?.code === 'UNAUTHENTICATED'}><p class="muted">{t('common.loading')}</p></Match>
        <Match when={failedError(data())}>{(e) => <p class="alert" data-testid="order-missing">{e().message}</p>}</Match>
        <Match when={readyValue(data())}>
          {(detail) => (
            <Show when={AFTER_SALE_ORDER_STATES.includes(detail().order.status)}
              fallback={<p class="alert" data-testid="after-sale-not-allowed">{t('afterSale.notAllowed')}</p>}>
              <RequestForm detail={detail()} path={path} />
            </Show>
          )}
        </Match>
      </Switch>
    </StorePage>
  );
}

function RequestForm(props: { detail: OrderDetail; path: string }) {
  const { t, tOr } = useI18n();
  const toLogin = useLoginRedirect();
  const shipped = () => props.detail.order.status !== 'paid';
  const kinds = (): AfterSaleKind[] => (shipped() ? ['refund', 'return_refund', 'exchange'] : ['refund']);
  const lines = () => props.detail.lines.filter((l) => l.id && (l.refundedAmount ?? 0) < l.paidAmount);
  const [kind, setKind] = createSignal<AfterSaleKind>('refund');
  const [choices, setChoices] = createSignal<Record<string, Choice>>({});
  const [reason, setReason] = createSignal('');
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const [created, setCreated] = createSignal<{ id: string; amount: number; lines: AfterSaleLine[] }>();

  const choice = (line: OrderLine): Choice => choices()[line.id ?? ''] ?? { chosen: false, quantity: line.quantity, amountText: '' };
  const update = (line: OrderLine, patch: Partial<Choice>) =>
    setChoices((prev) => ({ ...prev, [line.id ?? '']: { ...choice(line), ...patch } }));

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (busy()) return;
    const picked = lines().filter((l) => choice(l).chosen);
    if (picked.length === 0) return setError(t('afterSale.noLines'));
    if (!reason().trim()) return setError(t('afterSale.reasonRequired'));
    const body: { lineId: string; quantity: number; amount?: number }[] = [];
    for (const line of picked) {
      const c = choice(line);
      const entry: { lineId: string; quantity: number; amount?: number } = { lineId: line.id ?? '', quantity: c.quantity };
      if (kind() !== 'exchange' && c.amountText.trim()) {
        const fen = parseYuan(c.amountText);
        if (fen === undefined || fen > line.paidAmount - (line.refundedAmount ?? 0)) return setError(t('afterSale.amountInvalid'));
        entry.amount = fen;
      }
      body.push(entry);
    }
    setBusy(true);
    setError(undefined);
    try {
      const res = await api.post<{ afterSale: { id: string; amount: number; lines: AfterSaleLine[] } }>(`${props.path}/after-sales`, {
        kind: kind(), reason: reason().trim(), lines: body,
      });
      setCreated(res.afterSale);
    } catch (err) {
      const apiError = toApiError(err);
      if (toLogin(apiError)) return;
      setError(apiError.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Show when={created()} fallback={
      <form class="card after-sale-form" noValidate onSubmit={(e) => void submit(e)} data-testid="after-sale-form">
        <fieldset class="field">
          <legend>{t('afterSale.kind')}</legend>
          <div class="chip-row">
            <For each={kinds()}>
              {(k) => (
                <label class="chip" classList={{ active: kind() === k }}>
                  <input type="radio" name="kind" value={k} checked={kind() === k} data-testid={`after-sale-kind-${k}`}
                    onChange={() => setKind(k)} /> {tOr(`afterSale.kind.${k}`, k)}
                </label>
              )}
            </For>
          </div>
        </fieldset>

        <h2>{t('afterSale.lines')}</h2>
        <For each={lines()}>
          {(line, i) => {
            const c = () => choice(line);
            const max = () => line.paidAmount - (line.refundedAmount ?? 0);
            return (
              <div class="after-sale-line" data-testid="after-sale-line">
                <label class="check-row">
                  <input type="checkbox" checked={c().chosen} data-testid={`after-sale-line-${i()}`}
                    onChange={(e) => update(line, { chosen: e.currentTarget.checked })} />
                  <LineRow line={line} amount={line.paidAmount} />
                </label>
                <Show when={c().chosen}>
                  <div class="inline-fields">
                    <label class="small">
                      {t('afterSale.quantity')}{' '}
                      <input class="input compact" type="number" min="1" max={line.quantity} value={c().quantity}
                        data-testid={`after-sale-qty-${i()}`}
                        onInput={(e) => {
                          const n = Math.trunc(Number(e.currentTarget.value));
                          if (n >= 1 && n <= line.quantity) update(line, { quantity: n });
                        }} />
                    </label>
                    <Show when={kind() !== 'exchange'}>
                      <label class="small">
                        {t('afterSale.amount')}{' '}
                        <input class="input compact" inputmode="decimal" placeholder={fenToYuanText(defaultShare(line, c().quantity))}
                          value={c().amountText} data-testid={`after-sale-amount-${i()}`}
                          onInput={(e) => update(line, { amountText: e.currentTarget.value })} />
                      </label>
                      <p class="hint">{t('afterSale.amountHint', { amount: formatFen(defaultShare(line, c().quantity)), max: formatFen(max()) })}</p>
                    </Show>
                  </div>
                </Show>
              </div>
            );
          }}
        </For>

        <div class="field">
          <label for="after-sale-reason">{t('afterSale.reason')}</label>
          <textarea id="after-sale-reason" class="input" rows={3} maxLength={200} value={reason()} data-testid="after-sale-reason"
            onInput={(e) => setReason(e.currentTarget.value)} />
        </div>
        <Show when={error()}>{(message) => <p class="alert" role="alert" data-testid="form-error">{message()}</p>}</Show>
        <button type="submit" class="button primary" disabled={busy()} data-testid="after-sale-submit">{t('afterSale.submit')}</button>
      </form>
    }>
      {(made) => (
        <section class="card" data-testid="after-sale-created" data-id={made().id}>
          <p class="notice">{t('afterSale.submitted')}</p>
          <p><AfterSaleBadge status="requested" /> {tOr(`afterSale.kind.${kind()}`, kind())}</p>
          <Show when={kind() !== 'exchange'}>
            <p data-testid="after-sale-amount">{t('afterSales.amount', { amount: formatFen(made().amount) })}</p>
          </Show>
          <div class="actions">
            <A class="button" href="/after-sales" data-testid="after-sales-link">{t('afterSales.title')}</A>
            <A class="button" href={`/orders/${encodeURIComponent(props.detail.order.id)}`}>{t('afterSales.order')}</A>
          </div>
        </section>
      )}
    </Show>
  );
}
