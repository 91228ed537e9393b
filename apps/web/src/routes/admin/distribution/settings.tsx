import { createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { can } from '~/components/AdminFrame';
import { DistributionAdminPage } from '~/components/DistributionAdmin';
import { parseRuleInputs, RuleInputs, ruleInputText } from '~/components/RuleInputs';
import { api, type ApiError } from '~/lib/api';
import { createClientData, failedError, readyValue, toApiError } from '~/lib/client-data';
import { bpsToPercentText, parsePercent, PAYOUT_METHODS } from '~/lib/distribution';
import { fenToYuanText, parseYuan } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { DistributionSettings, DistributionSettingsResponse, PayoutMethod } from '~/lib/types';

/**
 * D1, D3–D5, D8, D9, D12: the programme's settings. Rates are typed as percentages and sent as
 * basis points; money as yuan, sent as fen. The API checks compliance (three levels at most, the
 * cap, no entry fee, no reward per recruit) and its refusals are shown as such.
 */
export default function AdminDistributionSettings() {
  const { t } = useI18n();
  return (
    <DistributionAdminPage title={t('adminDist.settings.title')} tab="settings" permission="distributors.view">
      {(me) => <SettingsLoader canManage={can(me().staff, 'distributors.manage')} />}
    </DistributionAdminPage>
  );
}

function SettingsLoader(props: { canManage: boolean }) {
  const { t } = useI18n();
  const [data] = createClientData(() => api.get<DistributionSettingsResponse>('/api/admin/distribution/settings'));
  return (
    <>
      <h1>{t('adminDist.settings.title')}</h1>
      <Show when={failedError(data())}>{(e) => <p class="alert">{e().message}</p>}</Show>
      <Show when={readyValue(data())} fallback={<Show when={!failedError(data())}><p class="muted">{t('common.loading')}</p></Show>}>
        {(loaded) => <SettingsForm loaded={loaded()} canManage={props.canManage} />}
      </Show>
    </>
  );
}

/** The form as typed: rates in %, money in yuan, counts as text. */
interface Draft {
  enabled: boolean;
  levels: number;
  rateMode: 'bps' | 'fixed';
  rates: string[];
  cap: string;
  bindingMode: DistributionSettings['binding']['mode'];
  expiryDays: string;
  eligibility: DistributionSettings['eligibility']['mode'];
  minOrders: string;
  minSpend: string;
  autoApprove: boolean;
  selfPurchase: boolean;
  freezeDays: string;
  period: DistributionSettings['settlement']['period'];
  minimum: string;
  dailyMax: string;
  fee: string;
  methods: PayoutMethod[];
  rulesText: string;
}

function draftOf(s: DistributionSettings): Draft {
  return {
    enabled: s.enabled, levels: s.levels, rateMode: s.defaultRule.mode,
    rates: [0, 1, 2].map((i) => ruleInputText(s.defaultRule.mode, s.defaultRule.levels[i] ?? 0)),
    cap: bpsToPercentText(s.capBps), bindingMode: s.binding.mode, expiryDays: s.binding.expiryDays === null ? '' : String(s.binding.expiryDays),
    eligibility: s.eligibility.mode, minOrders: String(s.eligibility.minOrders ?? ''), minSpend: fenToYuanText(s.eligibility.minSpend),
    autoApprove: s.autoApprove, selfPurchase: s.selfPurchase, freezeDays: String(s.freezeDays), period: s.settlement.period,
    minimum: fenToYuanText(s.withdrawal.minimum), dailyMax: fenToYuanText(s.withdrawal.dailyMax), fee: bpsToPercentText(s.withdrawal.feeBps),
    methods: [...s.withdrawal.methods], rulesText: s.rulesText,
  };
}

type Errors = Partial<Record<string, string>>;

const wholeNumber = (text: string, min: number, max: number) => (/^\d{1,6}$/.test(text.trim()) && Number(text) >= min && Number(text) <= max ? Number(text) : undefined);

/** Which fields an API refusal is about (VALIDATION_FAILED names them in its details). */
function fieldsOf(error: ApiError): string[] {
  if (error.code === 'COMMISSION_CAP_EXCEEDED') return ['cap', 'rates'];
  if (error.code === 'DISTRIBUTION_LEVELS_EXCEEDED') return ['levels'];
  const details = error.details;
  if (details && typeof details === 'object' && !Array.isArray(details)) return Object.keys(details);
  return error.fieldPaths();
}

/** Where an API field lands in the form. */
const FIELD_OF: Record<string, string> = {
  defaultRule: 'rates', capBps: 'cap', minOrders: 'minOrders', minSpend: 'minSpend', dailyMax: 'dailyMax', minimum: 'minimum',
  feeBps: 'fee', freezeDays: 'freezeDays', expiryDays: 'expiryDays', levels: 'levels', rates: 'rates', cap: 'cap', methods: 'methods', rulesText: 'rulesText',
};

function SettingsForm(props: { loaded: DistributionSettingsResponse; canManage: boolean }) {
  const { t, tOr } = useI18n();
  const [draft, setDraft] = createStore<Draft>(draftOf(props.loaded.settings));
  const [errors, setErrors] = createSignal<Errors>({});
  const [refusal, setRefusal] = createSignal<ApiError>();
  const [busy, setBusy] = createSignal(false);
  const [saved, setSaved] = createSignal(false);
  const limits = () => props.loaded.limits;
  const err = (field: string) => errors()[field];

  /** The settings document from the form, or the fields that do not parse. */
  function build(): { settings?: DistributionSettings; errors: Errors } {
    const e: Errors = {};
    const rates = parseRuleInputs(draft.rateMode, draft.rates.slice(0, draft.levels));
    if (!rates) e.rates = draft.rateMode === 'bps' ? t('adminDist.settings.percentInvalid') : t('settings.moneyInvalid');
    const cap = parsePercent(draft.cap);
    if (cap === undefined) e.cap = t('adminDist.settings.percentInvalid');
    else if (draft.rateMode === 'bps' && rates && rates.reduce((a, b) => a + b, 0) > cap) e.rates = t('adminDist.settings.overCap', { cap: draft.cap });
    const expiry = draft.expiryDays.trim() ? wholeNumber(draft.expiryDays, 1, 3650) : null;
    if (expiry === undefined) e.expiryDays = t('adminDist.settings.daysInvalid', { min: 1, max: 3650 });
    const minOrders = wholeNumber(draft.minOrders, 1, 10_000);
    if (draft.eligibility === 'after_orders' && minOrders === undefined) e.minOrders = t('adminDist.settings.countInvalid');
    const minSpend = parseYuan(draft.minSpend);
    if (draft.eligibility === 'after_spend' && !minSpend) e.minSpend = t('settings.moneyInvalid');
    const freezeDays = wholeNumber(draft.freezeDays, 0, 90);
    if (freezeDays === undefined) e.freezeDays = t('adminDist.settings.daysInvalid', { min: 0, max: 90 });
    const minimum = parseYuan(draft.minimum);
    if (minimum === undefined) e.minimum = t('settings.moneyInvalid');
    const dailyMax = parseYuan(draft.dailyMax);
    if (dailyMax === undefined) e.dailyMax = t('settings.moneyInvalid');
    else if (minimum !== undefined && dailyMax < minimum) e.dailyMax = t('adminDist.settings.dailyMaxLow');
    const fee = parsePercent(draft.fee);
    if (fee === undefined || fee > 2000) e.fee = t('adminDist.settings.feeInvalid');
    if (draft.methods.length === 0) e.methods = t('adminDist.settings.methodsRequired');
    if (Object.keys(e).length > 0) return { errors: e };
    return {
      errors: e,
      settings: {
        enabled: draft.enabled,
        eligibility: draft.eligibility === 'after_orders' ? { mode: 'after_orders', minOrders }
          : draft.eligibility === 'after_spend' ? { mode: 'after_spend', minSpend } : { mode: draft.eligibility },
        autoApprove: draft.autoApprove,
        binding: { mode: draft.bindingMode, expiryDays: expiry ?? null },
        levels: draft.levels,
        defaultRule: { mode: draft.rateMode, levels: rates! },
        capBps: cap!,
        selfPurchase: draft.selfPurchase,
        freezeDays: freezeDays!,
        settlement: { period: draft.period },
        withdrawal: { minimum: minimum!, dailyMax: dailyMax!, feeBps: fee!, methods: PAYOUT_METHODS.filter((m) => draft.methods.includes(m)) },
        rulesText: draft.rulesText,
      },
    };
  }

  async function save(e: SubmitEvent) {
    e.preventDefault();
    if (busy()) return;
    setSaved(false);
    setRefusal(undefined);
    const built = build();
    setErrors(built.errors);
    if (!built.settings) return;
    setBusy(true);
    try {
      const res = await api.put<DistributionSettingsResponse>('/api/admin/distribution/settings', built.settings);
      setDraft(draftOf(res.settings));
      setSaved(true);
    } catch (error) {
      const apiError = toApiError(error);
      setRefusal(apiError);
      setErrors(Object.fromEntries(fieldsOf(apiError).map((f) => [FIELD_OF[f] ?? f, apiError.message])));
    } finally {
      setBusy(false);
    }
  }

  const toggleMethod = (m: PayoutMethod, on: boolean) => setDraft('methods', (prev) => (on ? [...prev.filter((x) => x !== m), m] : prev.filter((x) => x !== m)));

  return (
    <form noValidate onSubmit={(e) => void save(e)} data-testid="dist-settings-form">
      <fieldset class="plain" disabled={!props.canManage}>
        <section class="card form">
          <p class="notice small" data-testid="dist-settings-limits">
            {t('adminDist.settings.limits', { levels: limits().maxLevels })}
          </p>
          <label class="check"><input type="checkbox" checked={draft.enabled} data-testid="dist-enabled" onChange={(e) => setDraft('enabled', e.currentTarget.checked)} />{t('adminDist.settings.enabled')}</label>
          <SelectField label={t('adminDist.settings.levels')} value={String(draft.levels)} testid="dist-levels" error={err('levels')}
            options={Array.from({ length: limits().maxLevels }, (_, i) => [String(i + 1), t('adminDist.settings.levelsOption', { n: i + 1 })] as const)}
            onChange={(v) => setDraft('levels', Number(v))} />
        </section>

        <section class="card form">
          <h2>{t('adminDist.settings.rates')}</h2>
          <RuleInputs mode={draft.rateMode} values={draft.rates} count={draft.levels} testid="dist-rate" error={err('rates')} hint={t('adminDist.settings.ratesHint')}
            onMode={(mode) => { setDraft('rateMode', mode); setDraft('rates', ['', '', '']); }} onValue={(i, v) => setDraft('rates', i, v)} />
          <TextField label={t('adminDist.settings.cap')} value={draft.cap} testid="dist-cap" error={err('cap')} hint={t('adminDist.settings.capHint')}
            inputmode="decimal" onInput={(v) => setDraft('cap', v)} />
          <label class="check"><input type="checkbox" checked={draft.selfPurchase} data-testid="dist-self-purchase" onChange={(e) => setDraft('selfPurchase', e.currentTarget.checked)} />{t('adminDist.settings.selfPurchase')}</label>
        </section>

        <section class="card form">
          <h2>{t('adminDist.settings.joining')}</h2>
          <SelectField label={t('adminDist.settings.eligibility')} value={draft.eligibility} testid="dist-eligibility"
            options={(['anyone', 'after_orders', 'after_spend', 'invite_only'] as const).map((m) => [m, t(`adminDist.settings.eligibility.${m}`)] as const)}
            onChange={(v) => setDraft('eligibility', v as Draft['eligibility'])} />
          <Show when={draft.eligibility === 'after_orders'}>
            <TextField label={t('adminDist.settings.minOrders')} value={draft.minOrders} testid="dist-min-orders" error={err('minOrders')} inputmode="numeric" onInput={(v) => setDraft('minOrders', v)} />
          </Show>
          <Show when={draft.eligibility === 'after_spend'}>
            <TextField label={t('adminDist.settings.minSpend')} value={draft.minSpend} testid="dist-min-spend" error={err('minSpend')} inputmode="decimal" onInput={(v) => setDraft('minSpend', v)} />
          </Show>
          <label class="check"><input type="checkbox" checked={draft.autoApprove} data-testid="dist-auto-approve" onChange={(e) => setDraft('autoApprove', e.currentTarget.checked)} />{t('adminDist.settings.autoApprove')}</label>
          <p class="hint">{t('adminDist.settings.noFee')}</p>
          <SelectField label={t('adminDist.settings.binding')} value={draft.bindingMode} testid="dist-binding"
            options={(['first_touch', 'on_register', 'latest'] as const).map((m) => [m, t(`adminDist.settings.binding.${m}`)] as const)}
            onChange={(v) => setDraft('bindingMode', v as Draft['bindingMode'])} />
          <TextField label={t('adminDist.settings.expiryDays')} value={draft.expiryDays} testid="dist-expiry" error={err('expiryDays')} hint={t('adminDist.settings.expiryHint')}
            inputmode="numeric" onInput={(v) => setDraft('expiryDays', v)} />
        </section>

        <section class="card form">
          <h2>{t('adminDist.settings.settlement')}</h2>
          <TextField label={t('adminDist.settings.freezeDays')} value={draft.freezeDays} testid="dist-freeze-days" error={err('freezeDays')} hint={t('adminDist.settings.freezeHint')}
            inputmode="numeric" onInput={(v) => setDraft('freezeDays', v)} />
          <SelectField label={t('adminDist.settings.period')} value={draft.period} testid="dist-period"
            options={(['weekly', 'monthly'] as const).map((p) => [p, t(`adminDist.settings.period.${p}`)] as const)}
            onChange={(v) => setDraft('period', v as Draft['period'])} />
        </section>

        <section class="card form">
          <h2>{t('adminDist.settings.withdrawal')}</h2>
          <div class="grid3">
            <TextField label={t('adminDist.settings.minimum')} value={draft.minimum} testid="dist-withdraw-min" error={err('minimum')} inputmode="decimal" onInput={(v) => setDraft('minimum', v)} />
            <TextField label={t('adminDist.settings.dailyMax')} value={draft.dailyMax} testid="dist-withdraw-daily" error={err('dailyMax')} inputmode="decimal" onInput={(v) => setDraft('dailyMax', v)} />
            <TextField label={t('adminDist.settings.fee')} value={draft.fee} testid="dist-withdraw-fee" error={err('fee')} inputmode="decimal" onInput={(v) => setDraft('fee', v)} />
          </div>
          <div class="chips" data-testid="dist-methods">
            <For each={limits().payoutMethods}>
              {(m) => (
                <label class="chip" classList={{ active: draft.methods.includes(m) }}>
                  <input type="checkbox" checked={draft.methods.includes(m)} data-testid={`dist-method-${m}`} onChange={(e) => toggleMethod(m, e.currentTarget.checked)} />
                  {' '}{tOr(`payoutMethod.${m}`, m)}
                </label>
              )}
            </For>
          </div>
          <FieldNote error={err('methods')} />
        </section>

        <section class="card form">
          <h2>{t('adminDist.settings.rulesText')}</h2>
          <p class="hint">{t('adminDist.settings.rulesTextHint')}</p>
          <textarea class="input plain-text" rows={6} maxLength={5000} value={draft.rulesText} data-testid="dist-rules-text"
            onInput={(e) => setDraft('rulesText', e.currentTarget.value)} />
          <FieldNote error={err('rulesText')} />
        </section>

        <div class="save-bar">
          <Show when={refusal()}>
            {(r) => (
              <div class="alert" role="alert" data-testid="dist-settings-refused" data-code={r().code}>
                <strong>{tOr(`adminDist.refusal.${r().code}`, t('adminDist.refusal.other'))}</strong>
                <p class="small">{r().message}</p>
                <CapConflicts error={r()} />
              </div>
            )}
          </Show>
          <Show when={!refusal() && Object.keys(errors()).length > 0}><p class="alert" role="alert">{t('common.fixErrors')}</p></Show>
          <Show when={saved()}><p class="notice" data-testid="dist-settings-saved">{t('settings.saved')}</p></Show>
          <Show when={props.canManage}>
            <div class="actions"><button type="submit" class="button primary" disabled={busy()} data-testid="dist-settings-save">{busy() ? t('common.saving') : t('common.save')}</button></div>
          </Show>
        </div>
      </fieldset>
    </form>
  );
}

/** The product, category and grade rates a lower cap would leave above it (COMMISSION_CAP_EXCEEDED). */
function CapConflicts(props: { error: ApiError }) {
  const { t } = useI18n();
  const details = () => (props.error.details ?? {}) as { rules?: { scope: string; targetId: string }[]; grades?: { name: string }[] };
  return (
    <Show when={(details().rules?.length ?? 0) + (details().grades?.length ?? 0) > 0}>
      <ul class="small">
        <For each={details().rules ?? []}>{(r) => <li>{t(`adminDist.rules.scope.${r.scope === 'category' ? 'category' : 'product'}`)} {r.targetId}</li>}</For>
        <For each={details().grades ?? []}>{(g) => <li>{t('adminDist.grades.grade')} {g.name}</li>}</For>
      </ul>
    </Show>
  );
}

function FieldNote(props: { error?: string; hint?: string; testid?: string }) {
  return (
    <Show when={props.error} fallback={<Show when={props.hint}><p class="hint">{props.hint}</p></Show>}>
      <p class="error" role="alert" data-testid={props.testid}>{props.error}</p>
    </Show>
  );
}

function TextField(props: { label: string; value: string; testid: string; error?: string; hint?: string; inputmode?: 'decimal' | 'numeric'; onInput: (v: string) => void }) {
  return (
    <div class="field" classList={{ invalid: !!props.error }}>
      <label for={props.testid}>{props.label}</label>
      <input id={props.testid} class="input" inputmode={props.inputmode} value={props.value} data-testid={props.testid}
        aria-invalid={props.error ? 'true' : undefined} onInput={(e) => props.onInput(e.currentTarget.value)} />
      <FieldNote error={props.error} hint={props.hint} />
    </div>
  );
}

function SelectField(props: { label: string; value: string; testid: string; error?: string; options: readonly (readonly [string, string])[]; onChange: (v: string) => void }) {
  return (
    <div class="field" classList={{ invalid: !!props.error }}>
      <label for={props.testid}>{props.label}</label>
      <select id={props.testid} class="input" value={props.value} data-testid={props.testid} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <For each={props.options}>{([value, label]) => <option value={value}>{label}</option>}</For>
      </select>
      <FieldNote error={props.error} />
    </div>
  );
}
