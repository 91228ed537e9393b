import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { createStore } from 'solid-js/store';
import { FormRefusal, MarketingPage, ScopePicker, TextInput, FieldNote } from '~/components/MarketingAdmin';
import { RadioChips } from '~/components/RadioChips';
import { createClientData, failedError, readyValue, toApiError } from '~/lib/client-data';
import { createAction } from '~/lib/form';
import { formatFen, formatTime, parseYuan } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import {
  issuesOf, localInputMs, placeIssues, pluginCall, zheToBpsOff, type CouponStats, type CouponTemplate, type Scope,
} from '~/lib/marketing-admin';

const PLUGIN = 'coupons';

/** E1 coupons: the shop's coupon templates with what was issued and used, and a form for a new one. */
export default function CouponTemplatesPage() {
  const { t } = useI18n();
  return (
    <MarketingPage title={t('padm.coupons.title')} pluginId={PLUGIN}>
      {(me) => <Templates canManage={me().staff.permissions.includes('marketing.manage')} />}
    </MarketingPage>
  );
}

function Templates(props: { canManage: boolean }) {
  const { t } = useI18n();
  const [data, { reload }] = createClientData(() => pluginCall<{ templates: CouponTemplate[] }>('GET', PLUGIN, '/admin/templates').then((r) => r.templates));
  const [creating, setCreating] = createSignal(false);
  return (
    <>
      <div class="page-head">
        <h1>{t('padm.coupons.title')}</h1>
        <Show when={props.canManage && !creating()}>
          <button type="button" class="button primary compact" data-testid="coupon-new" onClick={() => setCreating(true)}>{t('padm.coupons.new')}</button>
        </Show>
      </div>
      <Show when={creating()}>
        <CouponForm onCancel={() => setCreating(false)} onSaved={() => { setCreating(false); void reload(); }} />
      </Show>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())}>{(e) => <p class="alert" data-testid="padm-load-error">{e().message}</p>}</Match>
        <Match when={readyValue(data())}>
          {(list) => (
            <Show when={list().length > 0} fallback={<p class="muted" data-testid="coupons-empty">{t('padm.coupons.empty')}</p>}>
              <ul class="plain-list" data-testid="coupon-templates">
                <For each={list()}>{(tpl) => <TemplateRow template={tpl} canManage={props.canManage} onChanged={() => void reload()} />}</For>
              </ul>
            </Show>
          )}
        </Match>
      </Switch>
    </>
  );
}

function TemplateRow(props: { template: CouponTemplate; canManage: boolean; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const action = createAction();
  const tpl = () => props.template;
  const [stats] = createClientData(() => pluginCall<{ stats: CouponStats }>('GET', PLUGIN, `/admin/templates/${encodeURIComponent(props.template.id)}`).then((r) => r.stats));
  const setStatus = (to: 'enable' | 'disable') => void action.run(async () => {
    await pluginCall('POST', PLUGIN, `/admin/templates/${encodeURIComponent(tpl().id)}/${to}`);
    props.onChanged();
  });
  const validity = () => {
    const v = tpl().validity;
    return v.type === 'relative' ? t('padm.coupons.validDays', { n: v.days }) : `${formatTime(lang(), v.startsAt)} – ${formatTime(lang(), v.endsAt)}`;
  };
  return (
    <li class="card" data-testid="coupon-row" data-id={tpl().id} data-status={tpl().status} data-kind={tpl().terms.kind}>
      <div class="card-head">
        <strong data-testid="coupon-row-name">{tpl().name}</strong>
        <span class="badge" classList={{ ok: tpl().status === 'active', off: tpl().status !== 'active' }} data-testid="coupon-row-status">
          {t(tpl().status === 'active' ? 'padm.status.active' : 'padm.status.disabled')}
        </span>
      </div>
      <p class="small" data-testid="coupon-row-summary">{lang() === 'en' ? tpl().summary.en : tpl().summary.zh}</p>
      <p class="small muted">{validity()} · {t('padm.coupons.perMember', { n: tpl().perMemberLimit })} · {scopeText(t, tpl().scope)}</p>
      <p class="small">
        <span data-testid="coupon-row-issued">{t('padm.coupons.issuedOf', { issued: tpl().issued, quantity: tpl().quantity })}</span>
        {' · '}
        <span data-testid="coupon-row-used">{t('padm.coupons.used', { n: readyValue(stats())?.used ?? '…' })}</span>
        <Show when={readyValue(stats())}>{(s) => <>{' · '}{t('padm.coupons.discountTotal', { amount: formatFen(s().discountTotal) })}</>}</Show>
      </p>
      <Show when={action.error()}>{(m) => <p class="alert small" role="alert">{m()}</p>}</Show>
      <Show when={props.canManage}>
        <div class="actions">
          <Show when={tpl().status === 'active'} fallback={
            <button type="button" class="button compact" disabled={action.busy()} data-testid="coupon-enable" onClick={() => setStatus('enable')}>{t('padm.enable')}</button>
          }>
            <button type="button" class="button compact" disabled={action.busy()} data-testid="coupon-disable" onClick={() => setStatus('disable')}>{t('padm.disable')}</button>
          </Show>
        </div>
      </Show>
    </li>
  );
}

function scopeText(t: ReturnType<typeof useI18n>['t'], scope: Scope): string {
  if (scope.type === 'all') return t('padm.scope.all');
  return t(scope.type === 'categories' ? 'padm.scope.someCategories' : 'padm.scope.someProducts', { n: scope.ids.length });
}

type Kind = 'threshold' | 'fixed' | 'percent';

const FIELDS = [
  'name', 'description', 'terms', 'terms.amountOff', 'terms.threshold', 'terms.percentOffBps', 'terms.maxDiscount', 'scope', 'validity',
  'validity.startsAt', 'validity.endsAt', 'validity.days', 'quantity', 'perMemberLimit', 'claimWindow', 'claimWindow.startsAt', 'claimWindow.endsAt',
] as const;
type FieldKey = (typeof FIELDS)[number];

function CouponForm(props: { onCancel: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const [f, setF] = createStore({
    name: '', description: '', kind: 'threshold' as Kind, amountOff: '', threshold: '', zhe: '', cap: '',
    validity: 'relative' as 'relative' | 'absolute', days: '30', validFrom: '', validUntil: '', quantity: '100', perMemberLimit: '1',
    claimFrom: '', claimUntil: '',
  });
  const [scope, setScope] = createSignal<Scope>({ type: 'all' });
  const [errors, setErrors] = createSignal<Partial<Record<FieldKey, string>>>({});
  const [refusal, setRefusal] = createSignal<{ message: string; other: string[] }>();
  const [busy, setBusy] = createSignal(false);
  const err = (k: FieldKey) => errors()[k];

  /** The body in the plugin's units, or the fields whose text is no amount/number/time at all. */
  function build(): { body?: unknown; local: Partial<Record<FieldKey, string>> } {
    const local: Partial<Record<FieldKey, string>> = {};
    const yuan = (text: string, key: FieldKey, optional = false) => {
      if (optional && text.trim() === '') return undefined;
      const v = parseYuan(text);
      if (v === undefined) local[key] = t('padm.invalidYuan');
      return v;
    };
    const whole = (text: string, key: FieldKey) => {
      if (!/^\d{1,9}$/.test(text.trim())) { local[key] = t('padm.invalidWhole'); return 0; }
      return Number(text.trim());
    };
    const time = (text: string, key: FieldKey, optional: boolean) => {
      if (optional && text === '') return null;
      const ms = localInputMs(text);
      if (ms === undefined) local[key] = t('padm.invalidTime');
      return ms ?? 0;
    };
    let terms: unknown;
    if (f.kind === 'percent') {
      const bps = zheToBpsOff(f.zhe);
      if (bps === undefined) local['terms.percentOffBps'] = t('padm.invalidZhe');
      const cap = yuan(f.cap, 'terms.maxDiscount', true);
      terms = { kind: 'percent', percentOffBps: bps ?? 0, maxDiscount: cap ?? null, threshold: yuan(f.threshold, 'terms.threshold', true) ?? 0 };
    } else {
      terms = { kind: f.kind, amountOff: yuan(f.amountOff, 'terms.amountOff') ?? 0, threshold: yuan(f.threshold, 'terms.threshold', f.kind === 'fixed') ?? 0 };
    }
    const validity = f.validity === 'relative'
      ? { type: 'relative', days: whole(f.days, 'validity.days') }
      : { type: 'absolute', startsAt: time(f.validFrom, 'validity.startsAt', false), endsAt: time(f.validUntil, 'validity.endsAt', false) };
    const body = {
      name: f.name, description: f.description, terms, scope: scope(), validity,
      quantity: whole(f.quantity, 'quantity'), perMemberLimit: whole(f.perMemberLimit, 'perMemberLimit'),
      claimWindow: { startsAt: time(f.claimFrom, 'claimWindow.startsAt', true), endsAt: time(f.claimUntil, 'claimWindow.endsAt', true) },
    };
    return Object.keys(local).length ? { local } : { body, local };
  }

  async function save(e: SubmitEvent) {
    e.preventDefault();
    if (busy()) return;
    setRefusal(undefined);
    const { body, local } = build();
    setErrors(local);
    if (body === undefined) return;
    setBusy(true);
    try {
      await pluginCall('POST', PLUGIN, '/admin/templates', body);
      props.onSaved();
    } catch (error) {
      const apiError = toApiError(error);
      const { byField, other } = placeIssues(issuesOf(apiError), FIELDS);
      setErrors(byField);
      setRefusal({ message: apiError.message, other });
    } finally {
      setBusy(false);
    }
  }

  const set = (key: keyof typeof f, value: string) => setF(key, value as never);

  return (
    <form class="card form" noValidate onSubmit={(e) => void save(e)} data-testid="coupon-form">
      <h2>{t('padm.coupons.new')}</h2>
      <TextInput label={t('padm.name')} value={f.name} onInput={(v) => set('name', v)} testid="coupon-name" error={err('name')} maxLength={40} />
      <div class="chip-group" style={{ margin: "0 0 0.9rem" }}>
        <p class="small">{t('padm.coupons.kind')}</p>
        <RadioChips name="coupon-kind" options={['threshold', 'fixed', 'percent'] as const} value={f.kind} testid="coupon-kind"
          label={(k) => t(k === 'threshold' ? 'padm.coupons.kind.threshold' : k === 'fixed' ? 'padm.coupons.kind.fixed' : 'padm.coupons.kind.percent')}
          onChange={(k) => setF('kind', k)} />
        <FieldNote error={err('terms')} testid="coupon-terms" />
      </div>
      <Show when={f.kind !== 'percent'} fallback={
        <>
          <TextInput label={t('padm.coupons.zhe')} value={f.zhe} onInput={(v) => set('zhe', v)} testid="coupon-zhe" inputmode="decimal"
            error={err('terms.percentOffBps')} hint={t('padm.coupons.zheHint')} />
          <TextInput label={t('padm.coupons.cap')} value={f.cap} onInput={(v) => set('cap', v)} testid="coupon-cap" inputmode="decimal"
            error={err('terms.maxDiscount')} hint={t('padm.coupons.capHint')} />
        </>
      }>
        <TextInput label={t('padm.coupons.amountOff')} value={f.amountOff} onInput={(v) => set('amountOff', v)} testid="coupon-amount-off" inputmode="decimal" error={err('terms.amountOff')} />
      </Show>
      <TextInput label={t(f.kind === 'threshold' ? 'padm.coupons.threshold' : 'padm.coupons.thresholdOptional')} value={f.threshold}
        onInput={(v) => set('threshold', v)} testid="coupon-threshold" inputmode="decimal" error={err('terms.threshold')} />
      <div class="chip-group" style={{ margin: "0 0 0.9rem" }}>
        <p class="small">{t('padm.coupons.validity')}</p>
        <RadioChips name="coupon-validity" options={['relative', 'absolute'] as const} value={f.validity} testid="coupon-validity"
          label={(k) => t(k === 'relative' ? 'padm.coupons.validity.relative' : 'padm.coupons.validity.absolute')} onChange={(k) => setF('validity', k)} />
        <FieldNote error={err('validity')} testid="coupon-validity" />
      </div>
      <Show when={f.validity === 'relative'} fallback={
        <div class="grid2">
          <TextInput type="datetime-local" label={t('padm.startsAt')} value={f.validFrom} onInput={(v) => set('validFrom', v)} testid="coupon-valid-from" error={err('validity.startsAt')} />
          <TextInput type="datetime-local" label={t('padm.endsAt')} value={f.validUntil} onInput={(v) => set('validUntil', v)} testid="coupon-valid-until" error={err('validity.endsAt')} />
        </div>
      }>
        <TextInput label={t('padm.coupons.days')} value={f.days} onInput={(v) => set('days', v)} testid="coupon-days" inputmode="numeric" error={err('validity.days')} />
      </Show>
      <div class="grid2">
        <TextInput label={t('padm.coupons.quantity')} value={f.quantity} onInput={(v) => set('quantity', v)} testid="coupon-quantity" inputmode="numeric" error={err('quantity')} />
        <TextInput label={t('padm.coupons.perMemberLimit')} value={f.perMemberLimit} onInput={(v) => set('perMemberLimit', v)} testid="coupon-limit" inputmode="numeric" error={err('perMemberLimit')} />
      </div>
      <ScopePicker value={scope()} onChange={setScope} testid="coupon-scope" error={err('scope')} />
      <div class="grid2">
        <TextInput type="datetime-local" label={t('padm.coupons.claimFrom')} value={f.claimFrom} onInput={(v) => set('claimFrom', v)} testid="coupon-claim-from"
          error={err('claimWindow.startsAt')} hint={t('padm.optional')} />
        <TextInput type="datetime-local" label={t('padm.coupons.claimUntil')} value={f.claimUntil} onInput={(v) => set('claimUntil', v)} testid="coupon-claim-until"
          error={err('claimWindow.endsAt') ?? err('claimWindow')} hint={t('padm.optional')} />
      </div>
      <TextInput label={t('padm.description')} value={f.description} onInput={(v) => set('description', v)} testid="coupon-description" error={err('description')} maxLength={200} hint={t('padm.optional')} />
      <FormRefusal message={refusal()?.message} other={refusal()?.other} testid="coupon-form-error" />
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy()} data-testid="coupon-save">{busy() ? t('common.saving') : t('common.save')}</button>
        <button type="button" class="button" onClick={() => props.onCancel()} data-testid="coupon-cancel">{t('common.cancel')}</button>
      </div>
    </form>
  );
}

