import { A } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { MANUAL_PAYOUT_METHODS } from '~/lib/admin-distribution';
import { api } from '~/lib/api';
import { createAction } from '~/lib/form';
import { rateText } from '~/lib/distribution';
import { formatFen, formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { AdminCommission, AdminDistributor, AdminWithdrawal, Wallet } from '~/lib/types';
import { StateBadge } from './DistributionParts';

/**
 * What staff may do to a distributor in its state (D1): approve or reject (with a reason) an
 * application, disable an active one, enable a disabled one. Answers the changed distributor.
 */
export function DistributorActions(props: { distributor: AdminDistributor; canManage: boolean; onChanged: (d: AdminDistributor) => void }) {
  const { t } = useI18n();
  const action = createAction();
  const [rejecting, setRejecting] = createSignal(false);
  const [reason, setReason] = createSignal('');
  const path = (verb: string) => `/api/admin/distributors/${encodeURIComponent(props.distributor.memberId)}/${verb}`;
  const act = (verb: string, body: unknown = {}) => action.run(async () => {
    const res = await api.post<{ distributor: AdminDistributor }>(path(verb), body);
    setRejecting(false);
    props.onChanged(res.distributor);
  });
  function reject(e: SubmitEvent) {
    e.preventDefault();
    if (!reason().trim()) return action.setError(t('afterSale.reasonRequired'));
    void act('reject', { reason: reason().trim() });
  }
  return (
    <Show when={props.canManage}>
      <Show when={action.error()}>{(message) => <p class="alert small" role="alert" data-testid="distributor-error">{message()}</p>}</Show>
      <div class="actions">
        <Show when={props.distributor.status === 'pending'}>
          <button type="button" class="button primary compact" disabled={action.busy()} data-testid="distributor-approve" onClick={() => void act('approve')}>{t('adminDist.approve')}</button>
          <button type="button" class="button compact" disabled={action.busy()} data-testid="distributor-reject" onClick={() => setRejecting(true)}>{t('adminDist.reject')}</button>
        </Show>
        <Show when={props.distributor.status === 'active'}>
          <button type="button" class="button danger compact" disabled={action.busy()} data-testid="distributor-disable" onClick={() => void act('disable')}>{t('adminDist.disable')}</button>
        </Show>
        <Show when={props.distributor.status === 'disabled'}>
          <button type="button" class="button compact" disabled={action.busy()} data-testid="distributor-enable" onClick={() => void act('enable')}>{t('adminDist.enable')}</button>
        </Show>
      </div>
      <Show when={rejecting() && props.distributor.status === 'pending'}>
        <form class="inline-form" noValidate onSubmit={reject}>
          <input class="input" maxLength={200} placeholder={t('adminDist.rejectReason')} aria-label={t('adminDist.rejectReason')}
            data-testid="distributor-reject-reason" value={reason()} onInput={(e) => setReason(e.currentTarget.value)} />
          <button type="submit" class="button danger compact" disabled={action.busy()} data-testid="distributor-reject-confirm">{t('adminDist.reject')}</button>
        </form>
      </Show>
    </Show>
  );
}

/** A payout account in one line: its fields by their labels, the method by its name. */
export function accountText(account: Record<string, string>, tOr: (key: string, fallback: string) => string): string {
  return Object.entries(account)
    .filter(([key]) => key !== 'identityType')
    .map(([key, value]) => (key === 'method' ? tOr(`payoutMethod.${value}`, value) : `${tOr(`dist.account.${key}`, key)}: ${value}`))
    .join(' · ');
}

/** A distributor's name with a link to their page. */
export function DistributorLink(props: { id: string; name: string | null | undefined; shopName?: string | null }) {
  return (
    <A href={`/admin/distribution/distributors/${encodeURIComponent(props.id)}`} data-testid="distributor-link">
      {props.shopName || props.name || props.id.slice(0, 8)}
      <Show when={props.shopName && props.name}><span class="muted"> · {props.name}</span></Show>
    </A>
  );
}

/** A wallet in one line for lists: withdrawable, pending + frozen, debt when there is any. */
export function WalletLine(props: { wallet: Wallet | null }) {
  const { t } = useI18n();
  return (
    <Show when={props.wallet}>
      {(w) => (
        <span class="small" data-testid="wallet-line">
          {t('dist.wallet.available')} {formatFen(w().available)} · {t('dist.wallet.pending')} {formatFen(w().pending + w().frozen)}
          <Show when={w().debt > 0}> · <span class="stock-out">{t('dist.wallet.debt')} {formatFen(w().debt)}</span></Show>
        </span>
      )}
    </Show>
  );
}

/** A commission line as staff see it: who, which order and level, base × rate, amount, reversals, state. */
export function AdminCommissionRow(props: { commission: AdminCommission; showDistributor?: boolean }) {
  const { t, lang } = useI18n();
  const c = () => props.commission;
  return (
    <li class="card" data-testid="admin-commission" data-level={c().level} data-status={c().status} data-amount={c().amount} data-reversed={c().reversed}>
      <div class="card-head">
        <span>
          <A href={`/admin/orders/${encodeURIComponent(c().orderId)}`} class="order-no small">{c().orderNo}</A>
          <span class="muted small"> · {t('adminDist.level', { n: c().level })}</span>
        </span>
        <StateBadge kind="commission" status={c().status} />
      </div>
      <Show when={props.showDistributor && c().distributorId}>
        {(id) => <p class="small"><DistributorLink id={id()} name={c().distributorName} shopName={c().shopName} /></p>}
      </Show>
      <p class="small">
        {t('adminDist.base', { base: formatFen(c().base), rate: rateText(c().rateMode, c().rate, t('dist.perPiece')) })}
        {' → '}<strong class="price" data-testid="admin-commission-amount">{formatFen(c().amount - c().reversed)}</strong>
        <Show when={c().reversed > 0}> <span class="muted">{t('dist.reversed', { amount: formatFen(c().reversed), of: formatFen(c().amount) })}</span></Show>
      </p>
      <p class="muted small">
        {formatTime(lang(), c().createdAt)}
        <Show when={c().settlementPeriod}>{(p) => <> · {t('adminDist.settledIn', { period: p() })}</>}</Show>
        <Show when={c().status === 'frozen' && c().settleAfter}>{(at) => <> · {t('dist.settleAfter', { time: formatTime(lang(), at()) })}</>}</Show>
      </p>
    </li>
  );
}

type WithdrawalStep = 'reject' | 'mark-paid' | 'mark-failed';

/**
 * A withdrawal in the review queue (D9): approve or reject (with a reason) a request; then, for
 * methods a person pays (bank, offline), mark it paid (with the transfer's reference) or failed
 * (the money goes back to the distributor). WeChat and Alipay payouts are left to their provider.
 */
export function AdminWithdrawalRow(props: { withdrawal: AdminWithdrawal; canReview: boolean; canPay: boolean; showDistributor?: boolean }) {
  const { t, tOr, lang } = useI18n();
  const [w, setW] = createSignal(props.withdrawal);
  const [step, setStep] = createSignal<WithdrawalStep>();
  const [note, setNote] = createSignal('');
  const action = createAction();
  const manual = () => MANUAL_PAYOUT_METHODS.includes(w().method);
  const act = (verb: 'approve' | WithdrawalStep, body: unknown = {}) => action.run(async () => {
    const res = await api.post<{ withdrawal: AdminWithdrawal }>(`/api/admin/withdrawals/${encodeURIComponent(w().id)}/${verb}`, body);
    setW(res.withdrawal);
    setStep(undefined);
    setNote('');
  });
  function confirm(e: SubmitEvent) {
    e.preventDefault();
    const current = step();
    const text = note().trim();
    if (!current) return;
    if (!text) return action.setError(current === 'mark-paid' ? t('adminDist.withdrawals.referenceRequired') : t('afterSale.reasonRequired'));
    void act(current, current === 'mark-paid' ? { reference: text } : { reason: text });
  }
  /** WeChat and Alipay: the provider pays (`pay`), or is asked again about a payout under way (`refresh`). */
  const provider = (verb: 'pay' | 'refresh') => action.run(async () => {
    const res = await api.post<{ status: AdminWithdrawal['status'] }>(`/api/admin/withdrawals/${encodeURIComponent(w().id)}/${verb}`);
    setW({ ...w(), status: res.status });
  });
  const open = (next: WithdrawalStep) => { setStep(next); setNote(''); action.setError(undefined); };
  return (
    <li class="card" data-testid="admin-withdrawal" data-id={w().id} data-status={w().status} data-method={w().method}>
      <div class="card-head">
        <strong class="price" data-testid="admin-withdrawal-amount">{formatFen(w().amount)}</strong>
        <StateBadge kind="withdrawal" status={w().status} />
      </div>
      <Show when={props.showDistributor !== false}>
        <p class="small"><DistributorLink id={w().distributorId} name={w().distributorName} shopName={w().shopName} /></p>
      </Show>
      <p class="small">
        {tOr(`payoutMethod.${w().method}`, w().method)} · {t('dist.netFee', { net: formatFen(w().net), fee: formatFen(w().fee) })}
      </p>
      <Show when={Object.keys(w().account).length > 0}>
        <p class="small mono" data-testid="admin-withdrawal-account">{accountText(w().account, tOr)}</p>
      </Show>
      <p class="muted small">
        {formatTime(lang(), w().createdAt)}
        <Show when={w().externalId}>{(ref) => <> · {t('adminDist.withdrawals.reference', { ref: ref() })}</>}</Show>
        <Show when={w().reason}>{(reason) => <> · {t('dist.reason', { reason: reason() })}</>}</Show>
      </p>
      <Show when={props.canReview}>
        <Show when={action.error()}>{(m) => <p class="alert small" role="alert" data-testid="withdrawal-error">{m()}</p>}</Show>
        <div class="actions">
          <Show when={w().status === 'pending'}>
            <button type="button" class="button primary compact" disabled={action.busy()} data-testid="withdrawal-approve" onClick={() => void act('approve')}>{t('adminDist.approve')}</button>
            <button type="button" class="button compact" disabled={action.busy()} data-testid="withdrawal-reject" onClick={() => open('reject')}>{t('adminDist.reject')}</button>
          </Show>
          <Show when={(w().status === 'approved' || w().status === 'paying') && manual()}>
            <button type="button" class="button primary compact" disabled={action.busy()} data-testid="withdrawal-mark-paid" onClick={() => open('mark-paid')}>{t('adminDist.withdrawals.markPaid')}</button>
            <button type="button" class="button danger compact" disabled={action.busy()} data-testid="withdrawal-mark-failed" onClick={() => open('mark-failed')}>{t('adminDist.withdrawals.markFailed')}</button>
          </Show>
        </div>
        <Show when={(w().status === 'approved' || w().status === 'paying') && !manual()}>
          <p class="muted small" data-testid="withdrawal-provider-note">{t('adminDist.withdrawals.providerPays')}</p>
          <Show when={props.canPay}>
            <div class="actions">
              <Show when={w().status === 'approved'}>
                <button type="button" class="button primary compact" disabled={action.busy()} data-testid="withdrawal-pay" onClick={() => void provider('pay')}>{t('adminDist.withdrawals.pay')}</button>
              </Show>
              <Show when={w().status === 'paying'}>
                <button type="button" class="button compact" disabled={action.busy()} data-testid="withdrawal-refresh" onClick={() => void provider('refresh')}>{t('adminDist.withdrawals.refresh')}</button>
              </Show>
            </div>
          </Show>
        </Show>
        <Show when={step()}>
          {(s) => (
            <form class="inline-form" noValidate onSubmit={confirm}>
              <input class="input" maxLength={200} data-testid="withdrawal-note" value={note()} onInput={(e) => setNote(e.currentTarget.value)}
                placeholder={s() === 'mark-paid' ? t('adminDist.withdrawals.referencePlaceholder') : t('adminDist.rejectReason')}
                aria-label={s() === 'mark-paid' ? t('adminDist.withdrawals.referencePlaceholder') : t('adminDist.rejectReason')} />
              <button type="submit" class="button compact" classList={{ primary: s() === 'mark-paid', danger: s() !== 'mark-paid' }} disabled={action.busy()} data-testid="withdrawal-confirm">
                {t('common.submit')}
              </button>
              <button type="button" class="link" onClick={() => setStep(undefined)}>{t('common.cancel')}</button>
            </form>
          )}
        </Show>
      </Show>
    </li>
  );
}

/** 编辑 and 删除 (once confirmed) for a row staff manage: a grade, a rule, a material. */
export function EditDeleteActions(props: { testid: string; deletePath: string; confirm: string; onEdit: () => void; onDeleted: () => void }) {
  const { t } = useI18n();
  const action = createAction();
  const remove = () => action.run(async () => {
    if (!window.confirm(props.confirm)) return;
    await api.delete(props.deletePath);
    props.onDeleted();
  });
  return (
    <>
      <Show when={action.error()}>{(m) => <p class="alert small" role="alert">{m()}</p>}</Show>
      <div class="actions">
        <button type="button" class="button compact" data-testid={`${props.testid}-edit`} onClick={() => props.onEdit()}>{t('adminDist.edit')}</button>
        <button type="button" class="button danger compact" disabled={action.busy()} data-testid={`${props.testid}-delete`} onClick={() => void remove()}>{t('common.delete')}</button>
      </div>
    </>
  );
}
