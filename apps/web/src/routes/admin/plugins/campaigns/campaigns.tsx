import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { createStore } from 'solid-js/store';
import { FieldNote, FormRefusal, MarketingPage, ScopePicker, SkuPicker, TextInput } from '~/components/MarketingAdmin';
import { RadioChips } from '~/components/RadioChips';
import { createClientData, failedError, readyValue, toApiError } from '~/lib/client-data';
import { createAction } from '~/lib/form';
import { formatTime, parseYuan } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import { issuesOf, localInputMs, placeIssues, pluginCall, zheToBpsOff, type Campaign, type Scope } from '~/lib/marketing-admin';
import type { MessageKey } from '~/i18n';

const PLUGIN = 'campaigns';

/** E3 campaigns: tiered reductions, discounts in 折, gifts — the list with enable/disable and a form for a new one. */
export default function CampaignsPage() {
  const { t } = useI18n();
  return (
    <MarketingPage title={t('padm.campaigns.title')} pluginId={PLUGIN}>
      {(me) => <Campaigns canManage={me().staff.permissions.includes('marketing.manage')} />}
    </MarketingPage>
  );
}

const PHASE: Record<Campaign['phase'], MessageKey> = {
  scheduled: 'padm.campaigns.phase.scheduled', running: 'padm.campaigns.phase.running', ended: 'padm.campaigns.phase.ended', disabled: 'padm.campaigns.phase.disabled',
};
type Kind = Campaign['terms']['kind'];
const KIND: Record<Kind, MessageKey> = {
  tiered_reduction: 'padm.campaigns.kind.tiered_reduction', discount: 'padm.campaigns.kind.discount', gift: 'padm.campaigns.kind.gift',
};

function Campaigns(props: { canManage: boolean }) {
  const { t } = useI18n();
  const [data, { reload }] = createClientData(() => pluginCall<{ campaigns: Campaign[] }>('GET', PLUGIN, '/admin/campaigns').then((r) => r.campaigns));
  const [creating, setCreating] = createSignal(false);
  return (
    <>
      <div class="page-head">
        <h1>{t('padm.campaigns.title')}</h1>
        <Show when={props.canManage && !creating()}>
          <button type="button" class="button primary compact" data-testid="campaign-new" onClick={() => setCreating(true)}>{t('padm.campaigns.new')}</button>
        </Show>
      </div>
      <Show when={creating()}>
        <CampaignForm onCancel={() => setCreating(false)} onSaved={() => { setCreating(false); void reload(); }} />
      </Show>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())}>{(e) => <p class="alert" data-testid="padm-load-error">{e().message}</p>}</Match>
        <Match when={readyValue(data())}>
          {(list) => (
            <Show when={list().length > 0} fallback={<p class="muted" data-testid="campaigns-empty">{t('padm.campaigns.empty')}</p>}>
              <ul class="plain-list" data-testid="campaigns">
                <For each={list()}>{(c) => <CampaignRow campaign={c} canManage={props.canManage} onChanged={() => void reload()} />}</For>
              </ul>
            </Show>
          )}
        </Match>
      </Switch>
    </>
  );
}

function CampaignRow(props: { campaign: Campaign; canManage: boolean; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const action = createAction();
  const c = () => props.campaign;
  const setStatus = (to: 'enable' | 'disable') => void action.run(async () => {
    await pluginCall('POST', PLUGIN, `/admin/campaigns/${encodeURIComponent(c().id)}/${to}`);
    props.onChanged();
  });
  return (
    <li class="card" data-testid="campaign-row" data-id={c().id} data-status={c().status} data-phase={c().phase} data-kind={c().terms.kind}>
      <div class="card-head">
        <strong data-testid="campaign-row-name">{c().name}</strong>
        <span class="badge" classList={{ off: c().phase !== 'running' }} data-testid="campaign-row-phase">{t(PHASE[c().phase])}</span>
      </div>
      <p class="small"><span class="badge off">{t(KIND[c().terms.kind])}</span> <span data-testid="campaign-row-summary">{lang() === 'en' ? c().summary.en : c().summary.zh}</span></p>
      <p class="small muted">{formatTime(lang(), c().window.startsAt)} – {formatTime(lang(), c().window.endsAt)}</p>
      <Show when={action.error()}>{(m) => <p class="alert small" role="alert">{m()}</p>}</Show>
      <Show when={props.canManage}>
        <div class="actions">
          <Show when={c().status === 'active'} fallback={
            <button type="button" class="button compact" disabled={action.busy()} data-testid="campaign-enable" onClick={() => setStatus('enable')}>{t('padm.enable')}</button>
          }>
            <button type="button" class="button compact" disabled={action.busy()} data-testid="campaign-disable" onClick={() => setStatus('disable')}>{t('padm.disable')}</button>
          </Show>
        </div>
      </Show>
    </li>
  );
}

function CampaignForm(props: { onCancel: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const [f, setF] = createStore({
    name: '', description: '', priority: '0', startsAt: '', endsAt: '', kind: 'tiered_reduction' as Kind,
    repeat: false, repeatCap: '', zhe: '', giftThreshold: '', giftSku: '', giftLabel: '', giftQuantity: '1', giftName: '',
  });
  const [tiers, setTiers] = createStore<{ threshold: string; off: string }[]>([{ threshold: '', off: '' }]);
  const [scope, setScope] = createSignal<Scope>({ type: 'all' });
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [refusal, setRefusal] = createSignal<{ message: string; other: string[] }>();
  const [busy, setBusy] = createSignal(false);
  const keys = () => [
    'name', 'description', 'priority', 'window', 'window.startsAt', 'window.endsAt', 'scope', 'terms', 'terms.tiers', 'terms.repeat', 'terms.percentOffBps',
    'terms.threshold', 'terms.skuId', 'terms.quantity', 'terms.giftName', ...tiers.flatMap((_, i) => [`terms.tiers.${i}`, `terms.tiers.${i}.threshold`, `terms.tiers.${i}.off`]),
  ];

  async function save(e: SubmitEvent) {
    e.preventDefault();
    if (busy()) return;
    setRefusal(undefined);
    const local: Record<string, string> = {};
    const yuan = (text: string, key: string) => {
      const v = parseYuan(text);
      if (v === undefined) local[key] = t('padm.invalidYuan');
      return v ?? 0;
    };
    const whole = (text: string, key: string) => {
      if (!/^\d{1,6}$/.test(text.trim())) { local[key] = t('padm.invalidWhole'); return 0; }
      return Number(text.trim());
    };
    const startsAt = localInputMs(f.startsAt);
    const endsAt = localInputMs(f.endsAt);
    if (startsAt === undefined) local['window.startsAt'] = t('padm.invalidTime');
    if (endsAt === undefined) local['window.endsAt'] = t('padm.invalidTime');
    let terms: unknown;
    if (f.kind === 'tiered_reduction') {
      terms = {
        kind: 'tiered_reduction',
        tiers: tiers.map((tier, i) => ({ threshold: yuan(tier.threshold, `terms.tiers.${i}.threshold`), off: yuan(tier.off, `terms.tiers.${i}.off`) })),
        repeat: f.repeat ? { maxOff: yuan(f.repeatCap, 'terms.repeat') } : null,
      };
    } else if (f.kind === 'discount') {
      const bps = zheToBpsOff(f.zhe);
      if (bps === undefined) local['terms.percentOffBps'] = t('padm.invalidZhe');
      terms = { kind: 'discount', percentOffBps: bps ?? 0 };
    } else {
      if (!f.giftSku) local['terms.skuId'] = t('padm.required');
      terms = { kind: 'gift', threshold: yuan(f.giftThreshold, 'terms.threshold'), skuId: f.giftSku, quantity: whole(f.giftQuantity, 'terms.quantity'), giftName: f.giftName };
    }
    const priority = whole(f.priority, 'priority');
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      await pluginCall('POST', PLUGIN, '/admin/campaigns', {
        name: f.name, description: f.description, priority, window: { startsAt: startsAt ?? 0, endsAt: endsAt ?? 0 }, scope: scope(), terms,
      });
      props.onSaved();
    } catch (error) {
      const apiError = toApiError(error);
      const { byField, other } = placeIssues(issuesOf(apiError), keys());
      setErrors(byField);
      setRefusal({ message: apiError.message, other });
    } finally {
      setBusy(false);
    }
  }

  const err = (k: string) => errors()[k];

  return (
    <form class="card form" noValidate onSubmit={(e) => void save(e)} data-testid="campaign-form">
      <h2>{t('padm.campaigns.new')}</h2>
      <TextInput label={t('padm.name')} value={f.name} onInput={(v) => setF('name', v)} testid="campaign-name" error={err('name')} maxLength={40} />
      <div class="grid2">
        <TextInput type="datetime-local" label={t('padm.startsAt')} value={f.startsAt} onInput={(v) => setF('startsAt', v)} testid="campaign-starts" error={err('window.startsAt') ?? err('window')} />
        <TextInput type="datetime-local" label={t('padm.endsAt')} value={f.endsAt} onInput={(v) => setF('endsAt', v)} testid="campaign-ends" error={err('window.endsAt')} />
      </div>
      <div class="chip-group" style={{ margin: "0 0 0.9rem" }}>
        <p class="small">{t('padm.campaigns.kind')}</p>
        <RadioChips name="campaign-kind" options={['tiered_reduction', 'discount', 'gift'] as const} value={f.kind} testid="campaign-kind"
          label={(k) => t(KIND[k])} onChange={(k) => setF('kind', k)} />
        <FieldNote error={err('terms')} testid="campaign-terms" />
      </div>
      <Switch>
        <Match when={f.kind === 'tiered_reduction'}>
          <h3>{t('padm.campaigns.tiers')}</h3>
          <FieldNote error={err('terms.tiers')} testid="campaign-tiers" />
          <For each={tiers}>
            {(tier, i) => (
              <div class="grid2" data-testid="campaign-tier">
                <TextInput label={t('padm.campaigns.tierThreshold')} value={tier.threshold} onInput={(v) => setTiers(i(), 'threshold', v)} testid="campaign-tier-threshold"
                  inputmode="decimal" error={err(`terms.tiers.${i()}.threshold`) ?? err(`terms.tiers.${i()}`)} />
                <TextInput label={t('padm.campaigns.tierOff')} value={tier.off} onInput={(v) => setTiers(i(), 'off', v)} testid="campaign-tier-off"
                  inputmode="decimal" error={err(`terms.tiers.${i()}.off`)} />
              </div>
            )}
          </For>
          <div class="row-actions">
            <Show when={tiers.length < 10 && !f.repeat}>
              <button type="button" class="button compact" data-testid="campaign-tier-add" onClick={() => setTiers(tiers.length, { threshold: '', off: '' })}>{t('padm.campaigns.addTier')}</button>
            </Show>
            <Show when={tiers.length > 1}>
              <button type="button" class="link danger" data-testid="campaign-tier-remove" onClick={() => setTiers((list) => list.slice(0, -1))}>{t('padm.remove')}</button>
            </Show>
          </div>
          <Show when={tiers.length === 1}>
            <label class="check"><input type="checkbox" checked={f.repeat} data-testid="campaign-repeat" onChange={(e) => setF('repeat', e.currentTarget.checked)} />{t('padm.campaigns.repeat')}</label>
            <Show when={f.repeat}>
              <TextInput label={t('padm.campaigns.repeatCap')} value={f.repeatCap} onInput={(v) => setF('repeatCap', v)} testid="campaign-repeat-cap" inputmode="decimal" error={err('terms.repeat')} />
            </Show>
          </Show>
        </Match>
        <Match when={f.kind === 'discount'}>
          <TextInput label={t('padm.campaigns.zhe')} value={f.zhe} onInput={(v) => setF('zhe', v)} testid="campaign-zhe" inputmode="decimal"
            error={err('terms.percentOffBps')} hint={t('padm.coupons.zheHint')} />
        </Match>
        <Match when={f.kind === 'gift'}>
          <TextInput label={t('padm.campaigns.giftThreshold')} value={f.giftThreshold} onInput={(v) => setF('giftThreshold', v)} testid="campaign-gift-threshold" inputmode="decimal" error={err('terms.threshold')} />
          <div class="chip-group" style={{ margin: "0 0 0.9rem" }}>
            <p class="small">{t('padm.campaigns.giftSku')}</p>
            <Show when={f.giftSku} fallback={<p class="hint">{t('padm.campaigns.giftPick')}</p>}><p data-testid="campaign-gift-sku">{f.giftLabel}</p></Show>
            <FieldNote error={err('terms.skuId')} testid="campaign-gift-sku" />
          </div>
          <SkuPicker testid="campaign-gift-picker" onPick={(sku) => { setF('giftSku', sku.skuId); setF('giftLabel', sku.label); }} />
          <div class="grid2">
            <TextInput label={t('padm.campaigns.giftQuantity')} value={f.giftQuantity} onInput={(v) => setF('giftQuantity', v)} testid="campaign-gift-quantity" inputmode="numeric" error={err('terms.quantity')} />
            <TextInput label={t('padm.campaigns.giftName')} value={f.giftName} onInput={(v) => setF('giftName', v)} testid="campaign-gift-name" error={err('terms.giftName')} maxLength={20} />
          </div>
        </Match>
      </Switch>
      <ScopePicker value={scope()} onChange={setScope} testid="campaign-scope" error={err('scope')} />
      <TextInput label={t('padm.campaigns.priority')} value={f.priority} onInput={(v) => setF('priority', v)} testid="campaign-priority" inputmode="numeric" error={err('priority')} />
      <TextInput label={t('padm.description')} value={f.description} onInput={(v) => setF('description', v)} testid="campaign-description" error={err('description')} maxLength={200} hint={t('padm.optional')} />
      <FormRefusal message={refusal()?.message} other={refusal()?.other} testid="campaign-form-error" />
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy()} data-testid="campaign-save">{busy() ? t('common.saving') : t('common.save')}</button>
        <button type="button" class="button" onClick={() => props.onCancel()} data-testid="campaign-cancel">{t('common.cancel')}</button>
      </div>
    </form>
  );
}
