import { createSignal, For, Match, onMount, Show, Switch } from 'solid-js';
import { CursorListView } from '~/components/CursorList';
import { DistributorPage } from '~/components/Distribution';
import { EmptyNote, StateBadge } from '~/components/DistributionParts';
import { RadioChips } from '~/components/RadioChips';
import { api, queryString } from '~/lib/api';
import { createClientData, failedError, readyValue } from '~/lib/client-data';
import { createCursorList, type CursorPage } from '~/lib/cursor-list';
import { PAYOUT_ACCOUNT_FIELDS, payoutAccount, requiredAccountFields, withdrawalFee } from '~/lib/distribution';
import { createAction } from '~/lib/form';
import { fenToYuanText, formatFen, formatTime, parseYuan } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { DistributionProgram, DistributorMe, PayoutMethod, Withdrawal } from '~/lib/types';

/** Withdrawal (D9): amount, a payout method the shop offers, the account; the fee shown; history below. */
export default function WithdrawPage() {
  const { t } = useI18n();
  return (
    <DistributorPage title={t('dist.nav.withdraw')} testid="withdraw-page">
      {(me, reload) => <Withdraw me={me()} reloadMe={reload} />}
    </DistributorPage>
  );
}

function Withdraw(props: { me: DistributorMe; reloadMe: () => Promise<void> }) {
  const { t } = useI18n();
  const [program] = createClientData(() => api.get<DistributionProgram>('/api/distribution/program'));
  const history = createCursorList((cursor) => api.get<CursorPage<Withdrawal>>(`/api/distribution/withdrawals${queryString({ cursor })}`));
  onMount(() => void history.reload());
  return (
    <>
      <section class="card">
        <dl class="money-cards">
          <div class="money-card lead"><dt>{t('dist.wallet.available')}</dt><dd data-testid="withdraw-available">{formatFen(props.me.wallet.available)}</dd></div>
          <div class="money-card"><dt>{t('dist.wallet.reserved')}</dt><dd>{formatFen(props.me.wallet.reserved)}</dd></div>
          <div class="money-card"><dt>{t('dist.wallet.withdrawn')}</dt><dd>{formatFen(props.me.wallet.withdrawn)}</dd></div>
        </dl>
        <Show when={props.me.wallet.debt > 0}>
          <p class="alert warn small" data-testid="withdraw-debt">{t('dist.debtNote', { amount: formatFen(props.me.wallet.debt) })}</p>
        </Show>
      </section>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(program())}>{(e) => <p class="alert">{e().message}</p>}</Match>
        <Match when={readyValue(program())}>
          {(p) => <WithdrawForm program={p()} me={props.me} onDone={async () => { await props.reloadMe(); await history.reload(); }} />}
        </Match>
      </Switch>
      <h2>{t('dist.withdrawHistory')}</h2>
      <CursorListView list={history} testid="withdrawals" empty={<EmptyNote text={t('dist.withdrawEmpty')} testid="withdrawals-empty" />}>
        {(w) => <WithdrawalRow withdrawal={w} />}
      </CursorListView>
    </>
  );
}

function WithdrawForm(props: { program: DistributionProgram; me: DistributorMe; onDone: () => Promise<void> }) {
  const { t, tOr } = useI18n();
  const rules = () => props.program.withdrawal;
  const saved = props.me.payoutAccount;
  const firstMethod = (rules().methods.find((m) => m === saved?.method) ?? rules().methods[0] ?? 'wechat') as PayoutMethod;
  const [method, setMethod] = createSignal<PayoutMethod>(firstMethod);
  const [amount, setAmount] = createSignal('');
  const [account, setAccount] = createSignal<Record<string, string>>(
    Object.fromEntries(Object.entries(saved ?? {}).filter(([key]) => key !== 'method' && key !== 'identityType')));
  const action = createAction();
  const [done, setDone] = createSignal<{ fee: number; net: number }>();

  const fen = () => parseYuan(amount());
  const fee = () => withdrawalFee(fen() ?? 0, rules().feeBps);

  function submit(e: SubmitEvent) {
    e.preventDefault();
    setDone(undefined);
    const value = fen();
    if (value === undefined || value <= 0) return action.setError(t('dist.amountInvalid'));
    if (value < rules().minimum) return action.setError(t('dist.belowMinimum', { amount: formatFen(rules().minimum) }));
    if (value > props.me.wallet.available) return action.setError(t('dist.overBalance'));
    const filled = payoutAccount(method(), account());
    if (requiredAccountFields(method()).some((f) => !filled[f])) return action.setError(t('dist.accountRequired'));
    void action.run(async () => {
      const res = await api.post<{ withdrawal: { id: string; fee: number; net: number } }>('/api/distribution/withdrawals', { amount: value, method: method(), account: filled });
      setDone(res.withdrawal);
      setAmount('');
      await props.onDone();
    });
  }

  return (
    <form class="card form" noValidate onSubmit={submit} data-testid="withdraw-form">
      <h2>{t('dist.withdrawTitle')}</h2>
      <div class="field">
        <label for="w-amount">{t('dist.withdrawAmount')}</label>
        <div class="copy-row">
          <input id="w-amount" class="input" inputmode="decimal" value={amount()} data-testid="withdraw-amount" placeholder={t('dist.minimum', { amount: formatFen(rules().minimum) })}
            onInput={(e) => setAmount(e.currentTarget.value)} />
          <button type="button" class="button compact" data-testid="withdraw-all" onClick={() => setAmount(fenToYuanText(props.me.wallet.available))}>{t('dist.withdrawAll')}</button>
        </div>
        <p class="hint" data-testid="withdraw-fee">
          {t('dist.feeLine', { fee: formatFen(fee()), net: formatFen(Math.max(0, (fen() ?? 0) - fee())), rate: rules().feeBps / 100 })}
        </p>
      </div>
      <fieldset class="plain">
        <legend class="small">{t('dist.method')}</legend>
        <RadioChips name="method" options={rules().methods} value={method()} testid="withdraw-method" label={(m) => tOr(`payoutMethod.${m}`, m)} onChange={setMethod} />
      </fieldset>
      <For each={PAYOUT_ACCOUNT_FIELDS[method()]}>
        {(field) => (
          <div class="field">
            <label for={`w-${field}`}>{t(`dist.account.${field}`)}</label>
            <input id={`w-${field}`} class="input" maxLength={100} autocomplete="off" value={account()[field] ?? ''} data-testid={`withdraw-account-${field}`}
              onInput={(e) => { const value = e.currentTarget.value; setAccount((prev) => ({ ...prev, [field]: value })); }} />
          </div>
        )}
      </For>
      <p class="muted small">{t('dist.withdrawRules', { min: formatFen(rules().minimum), max: formatFen(rules().dailyMax) })}</p>
      <Show when={action.error()}>{(message) => <p class="alert" role="alert" data-testid="withdraw-error">{message()}</p>}</Show>
      <Show when={done()}>{(w) => <p class="notice" data-testid="withdraw-done">{t('dist.withdrawDone', { net: formatFen(w().net), fee: formatFen(w().fee) })}</p>}</Show>
      <button type="submit" class="button primary block" disabled={action.busy()} data-testid="withdraw-submit">{t('dist.withdrawSubmit')}</button>
    </form>
  );
}

function WithdrawalRow(props: { withdrawal: Withdrawal }) {
  const { t, tOr, lang } = useI18n();
  const w = () => props.withdrawal;
  return (
    <li class="card" data-testid="withdrawal" data-id={w().id} data-status={w().status}>
      <div class="card-head">
        <strong class="price">{formatFen(w().amount)}</strong>
        <StateBadge kind="withdrawal" status={w().status} />
      </div>
      <p class="muted small">
        {tOr(`payoutMethod.${w().method}`, w().method)} · {t('dist.netFee', { net: formatFen(w().net), fee: formatFen(w().fee) })} · {formatTime(lang(), w().created_at)}
      </p>
      <Show when={w().reason}>{(reason) => <p class="small">{t('dist.reason', { reason: reason() })}</p>}</Show>
    </li>
  );
}
