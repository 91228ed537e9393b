import { A } from '@solidjs/router';
import { For, Match, Show, Switch, type Accessor } from 'solid-js';
import { Field, FormAlert } from '~/components/Field';
import { CopyField, WalletCards } from '~/components/Distribution';
import { ShopGate } from '~/components/ShopGate';
import { StorePage } from '~/components/StorePage';
import { api } from '~/lib/api';
import { createMemberData, shownError } from '~/lib/buyer';
import { createClientData, failedError, readyValue } from '~/lib/client-data';
import { rateText } from '~/lib/distribution';
import { createForm } from '~/lib/form';
import { formatFen } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { DistributionProgram, DistributionStanding, DistributorMe, ShopInfo } from '~/lib/types';

/**
 * The distributor centre (D1, D10, D12): a member who is not a distributor sees the programme,
 * its rules and the application form (or where their application stands); a distributor sees
 * their income, their link and the way to everything else.
 */
export default function DistributionCentre() {
  return <ShopGate>{(shop) => <CentreView shop={shop} />}</ShopGate>;
}

interface Front {
  standing: DistributionStanding;
  program: DistributionProgram;
}

function CentreView(props: { shop: Accessor<ShopInfo> }) {
  const { t } = useI18n();
  const [data, { reload }] = createMemberData<Front>(async () => {
    const [standing, program] = await Promise.all([
      api.get<DistributionStanding>('/api/distribution/status'),
      api.get<DistributionProgram>('/api/distribution/program'),
    ]);
    return { standing, program };
  });
  const joined = (front: Front) => front.standing.status === 'active' || front.standing.status === 'disabled';
  return (
    <StorePage title={props.shop().name}>
      <h1>{t('dist.centre')}</h1>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={shownError(failedError(data()))}>{(e) => <p class="alert" role="alert">{e().message}</p>}</Match>
        <Match when={readyValue(data())}>
          {(front) => (
            <Show when={joined(front())} fallback={<Outsider front={front()} onApplied={reload} />}>
              <Centre />
            </Show>
          )}
        </Match>
      </Switch>
    </StorePage>
  );
}

/** Not (yet) a distributor: where the application stands, the programme, the form. */
function Outsider(props: { front: Front; onApplied: () => Promise<void> }) {
  const { t } = useI18n();
  const standing = () => props.front.standing;
  return (
    <>
      <Switch>
        <Match when={standing().status === 'pending'}>
          <p class="notice" data-testid="application-pending">{t('dist.pending')}</p>
        </Match>
        <Match when={standing().status === 'rejected'}>
          <p class="alert" data-testid="application-rejected">{t('dist.rejected', { reason: standing().rejectReason ?? '—' })}</p>
        </Match>
      </Switch>
      <Show when={standing().boundTo}>{(shop) => <p class="muted small" data-testid="bound-to">{t('dist.boundTo', { shop: shop() })}</p>}</Show>
      <ProgramRules program={props.front.program} />
      <Show when={props.front.program.enabled} fallback={<p class="alert" data-testid="program-off">{t('dist.programOff')}</p>}>
        <Show when={standing().status === 'none' || standing().status === 'rejected'}>
          <ApplyForm onApplied={props.onApplied} />
        </Show>
      </Show>
    </>
  );
}

/** The programme and its rules as members read them before joining (D12). */
function ProgramRules(props: { program: DistributionProgram }) {
  const { t } = useI18n();
  const p = () => props.program;
  const eligibility = () => {
    const e = p().eligibility;
    switch (e.mode) {
      case 'after_orders': return t('dist.eligibility.after_orders', { n: e.minOrders ?? 0 });
      case 'after_spend': return t('dist.eligibility.after_spend', { amount: formatFen(e.minSpend ?? 0) });
      default: return t(`dist.eligibility.${e.mode}`);
    }
  };
  return (
    <section class="card" data-testid="program">
      <h2>{t('dist.programTitle')}</h2>
      <p class="notice" data-testid="program-no-fee">{t('dist.noFee')}</p>
      <dl class="facts">
        <dt>{t('dist.who')}</dt><dd data-testid="program-eligibility">{eligibility()}</dd>
        <For each={Array.from({ length: p().levels }, (_, i) => i)}>
          {(level) => (
            <>
              <dt>{t('dist.levelRate', { n: level + 1 })}</dt>
              <dd data-testid={`program-rate-${level + 1}`}>{rateText(p().rules.mode, p().rules.levels[level] ?? 0, t('dist.perPiece'))}</dd>
            </>
          )}
        </For>
        <dt>{t('dist.freeze')}</dt><dd>{t('dist.freezeDays', { n: p().freezeDays })}</dd>
        <dt>{t('dist.withdrawMin')}</dt><dd>{formatFen(p().withdrawal.minimum)}</dd>
      </dl>
      <h3>{t('dist.complianceTitle')}</h3>
      <ul class="rules-list" data-testid="program-compliance">
        <li>{t('dist.rule.noFee')}</li>
        <li>{t('dist.rule.realSales')}</li>
        <li>{t('dist.rule.threeLevels')}</li>
        <li>{t('dist.rule.noRecruitReward')}</li>
        <li>{t('dist.rule.law')}</li>
      </ul>
      <Show when={p().rulesText.trim()}>
        <h3>{t('dist.shopRules')}</h3>
        <p class="pre-line" data-testid="program-rules-text">{p().rulesText}</p>
      </Show>
    </section>
  );
}

function ApplyForm(props: { onApplied: () => Promise<void> }) {
  const { t } = useI18n();
  const form = createForm({ shopName: '', note: '' });
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void form.submit(async (values) => {
      if (!values.shopName.trim()) {
        form.setErrors({ shopName: t('dist.shopNameRequired') });
        return;
      }
      await api.post('/api/distribution/apply', { shopName: values.shopName.trim(), note: values.note.trim() });
      await props.onApplied();
    });
  };
  return (
    <form class="card form" noValidate onSubmit={submit} data-testid="apply-form">
      <h2>{t('dist.applyTitle')}</h2>
      <Field name="shopName" label={t('dist.shopName')} hint={t('dist.shopNameHint')} maxLength={30} testid="apply-shop-name"
        value={form.values().shopName} onInput={(v) => form.set('shopName', v)} error={form.errors().shopName} />
      <Field name="note" label={t('dist.applyNote')} maxLength={200} testid="apply-note"
        value={form.values().note} onInput={(v) => form.set('note', v)} error={form.errors().note} />
      <FormAlert message={form.errors().form} />
      <button type="submit" class="button primary block" disabled={form.busy()} data-testid="apply-submit">{t('dist.applySubmit')}</button>
    </form>
  );
}

const QUICK_LINKS = ['team', 'orders', 'commissions', 'statements', 'withdraw', 'share', 'shop', 'leaderboard'] as const;

/** An active (or disabled) distributor's front page. */
function Centre() {
  const { t } = useI18n();
  const [me] = createClientData(() => api.get<DistributorMe>('/api/distribution/me'));
  return (
    <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
      <Match when={failedError(me())}>{(e) => <p class="alert" role="alert">{e().message}</p>}</Match>
      <Match when={readyValue(me())}>
        {(m) => (
          <div data-testid="distributor-centre" data-code={m().inviteCode}>
            <Show when={m().status === 'disabled'}><p class="alert" data-testid="distributor-disabled">{t('dist.disabled')}</p></Show>
            <section class="card dist-head">
              <div>
                <h2 data-testid="centre-shop-name">{m().shop.name}</h2>
                <p class="muted small">
                  {t('dist.inviteCode')} <strong class="mono" data-testid="centre-code">{m().inviteCode}</strong>
                  <Show when={m().grade}>{(g) => <> · <span class="badge" data-testid="centre-grade">{g()}</span></>}</Show>
                </p>
              </div>
              <A class="button compact" href={`/d/${m().inviteCode}`} data-testid="centre-my-shop">{t('dist.viewShop')}</A>
            </section>
            <section class="card">
              <div class="card-head">
                <h2>{t('dist.income')}</h2>
                <A href="/distribution/withdraw" data-testid="centre-withdraw">{t('dist.withdraw')} ›</A>
              </div>
              <WalletCards wallet={m().wallet} />
              <p class="muted small">{t('dist.incomeHint')}</p>
            </section>
            <section class="card">
              <CopyField value={m().link} label={t('dist.myLink')} testid="centre-link" />
            </section>
            <section class="card">
              <dl class="facts" data-testid="centre-stats">
                <dt>{t('dist.team')}</dt>
                <dd data-testid="centre-team">{t('dist.teamCounts', { l1: m().team.level1, l2: m().team.level2, l3: m().team.level3 })}</dd>
                <dt>{t('dist.customers')}</dt><dd data-testid="centre-customers">{m().team.customers}</dd>
                <dt>{t('dist.ownSales')}</dt><dd data-testid="centre-own-sales">{formatFen(m().sales.own)} · {t('dist.orderCount', { n: m().sales.orders })}</dd>
                <dt>{t('dist.teamSales')}</dt><dd>{formatFen(m().sales.team)}</dd>
              </dl>
            </section>
            <nav class="card quick-links" data-testid="centre-links">
              <For each={QUICK_LINKS}>
                {(key) => <A href={`/distribution/${key}`} data-testid={`centre-link-${key}`}>{t(`dist.nav.${key}`)}</A>}
              </For>
              <A href="/notifications" data-testid="centre-link-notifications">{t('notifications.title')}</A>
            </nav>
          </div>
        )}
      </Match>
    </Switch>
  );
}
