import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { createStore } from 'solid-js/store';
import { pluginsApi, localized, settingsDraft, settingsIssues, settingsValues, type PluginOffer, type PluginSettings, type SettingsFormField } from '~/lib/admin-plugins';
import type { ApiError } from '~/lib/api';
import { toApiError } from '~/lib/client-data';
import { createAction } from '~/lib/form';
import { formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import { RadioChips } from './RadioChips';

/** Source, version, state: the badges of one plugin. */
export function PluginBadges(props: { plugin: PluginOffer }) {
  const { t } = useI18n();
  const p = () => props.plugin;
  return (
    <p class="small" data-testid="plugin-badges">
      <span class="badge off">{t(p().source === 'first_party' ? 'adminPlugins.firstParty' : 'adminPlugins.marketplace')}</span>{' '}
      <Show when={p().installed} fallback={<span class="badge off" data-testid="plugin-state">{t('adminPlugins.notInstalled')}</span>}>
        {(i) => (
          <>
            <span class="badge" classList={{ ok: i().enabled && i().switchedOffAt === null, off: !i().enabled }} data-testid="plugin-state">
              {t(i().switchedOffAt !== null ? 'adminPlugins.switchedOff' : i().enabled ? 'adminPlugins.enabled' : 'adminPlugins.disabled')}
            </span>{' '}
            <Show when={i().critical}><span class="badge" data-testid="plugin-critical-badge">{t('adminPlugins.critical')}</span>{' '}</Show>
            <span data-testid="plugin-version">v{i().version}</span>
          </>
        )}
      </Show>
      <Show when={!p().installed && p().available}>{(v) => <span data-testid="plugin-version">v{v()}</span>}</Show>
      <Show when={p().upgradeAvailable}>{' '}<span class="badge" data-testid="plugin-upgradable">{t('adminPlugins.upgradeTo', { version: p().available ?? '' })}</span></Show>
      <Show when={!p().runnable}>{' '}<span class="badge off" data-testid="plugin-not-runnable">{t('adminPlugins.notRunnable')}</span></Show>
    </p>
  );
}

/** The circuit breaker switched the plugin off: why, how many failures, and a way back on. */
export function BreakerAlert(props: { plugin: PluginOffer; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const action = createAction();
  return (
    <Show when={props.plugin.installed?.switchedOffAt != null ? props.plugin.installed : undefined}>
      {(i) => (
        <div class="alert" role="alert" data-testid="plugin-breaker">
          <strong>{t('adminPlugins.breaker.title')}</strong>
          <p class="small">{t('adminPlugins.breaker.when', { time: formatTime(lang(), i().switchedOffAt ?? 0) })}</p>
          <p class="small" data-testid="plugin-breaker-reason">{t('adminPlugins.breaker.reason', { reason: i().switchedOffReason ?? t('adminPlugins.breaker.noReason') })}</p>
          <p class="small" data-testid="plugin-breaker-failures">{t('adminPlugins.breaker.failures', { n: i().failures })}</p>
          <Show when={action.error()}>{(m) => <p class="small">{m()}</p>}</Show>
          <button type="button" class="button primary compact" disabled={action.busy() || !props.plugin.runnable} data-testid="plugin-reenable"
            onClick={() => void action.run(async () => { await pluginsApi.patch(props.plugin.id, { enabled: true }); props.onChanged(); })}>
            {t('adminPlugins.breaker.reenable')}
          </button>
        </div>
      )}
    </Show>
  );
}

/** Install, upgrade, enable/disable, critical, uninstall (keeping or removing the data) for one plugin. */
export function PluginActions(props: { plugin: PluginOffer; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const action = createAction();
  const [uninstalling, setUninstalling] = createSignal(false);
  const [data, setData] = createSignal<'keep' | 'remove'>('keep');
  const p = () => props.plugin;
  const run = (work: () => Promise<unknown>) => void action.run(async () => { await work(); props.onChanged(); });

  function uninstall() {
    const name = localized(lang(), p().name);
    const keepData = data() === 'keep';
    if (!window.confirm(t(keepData ? 'adminPlugins.uninstall.confirmKeep' : 'adminPlugins.uninstall.confirmRemove', { name }))) return;
    run(async () => { await pluginsApi.uninstall(p().id, keepData); setUninstalling(false); });
  }

  return (
    <>
      <Show when={action.error()}>{(m) => <p class="alert small" role="alert" data-testid="plugin-action-error">{m()}</p>}</Show>
      <Show when={p().installed} fallback={
        <div class="actions">
          <button type="button" class="button primary compact" disabled={action.busy() || !p().available || !p().runnable} data-testid="plugin-install"
            onClick={() => run(() => pluginsApi.install(p().id))}>{t('adminPlugins.install')}</button>
        </div>
      }>
        {(i) => (
          <>
            <div class="actions">
              <Show when={p().upgradeAvailable}>
                <button type="button" class="button primary compact" disabled={action.busy()} data-testid="plugin-upgrade"
                  onClick={() => run(() => pluginsApi.upgrade(p().id))}>{t('adminPlugins.upgrade')}</button>
              </Show>
              <Show when={i().enabled} fallback={
                <button type="button" class="button compact" disabled={action.busy() || !p().runnable} data-testid="plugin-enable"
                  onClick={() => run(() => pluginsApi.patch(p().id, { enabled: true }))}>{t('adminPlugins.enable')}</button>
              }>
                <button type="button" class="button compact" disabled={action.busy()} data-testid="plugin-disable"
                  onClick={() => run(() => pluginsApi.patch(p().id, { enabled: false }))}>{t('adminPlugins.disable')}</button>
              </Show>
              <button type="button" class="button compact" disabled={action.busy()} data-testid="plugin-critical" aria-pressed={i().critical}
                onClick={() => run(() => pluginsApi.patch(p().id, { critical: !i().critical }))}>
                {t(i().critical ? 'adminPlugins.unmarkCritical' : 'adminPlugins.markCritical')}
              </button>
              <button type="button" class="button danger compact" disabled={action.busy()} data-testid="plugin-uninstall"
                onClick={() => setUninstalling(!uninstalling())}>{t('adminPlugins.uninstall')}</button>
            </div>
            <Show when={uninstalling()}>
              <div class="card" data-testid="plugin-uninstall-panel">
                <p class="small">{t('adminPlugins.uninstall.ask')}</p>
                <RadioChips name={`uninstall-${p().id}`} options={['keep', 'remove'] as const} value={data()} testid="plugin-data"
                  label={(o) => t(o === 'keep' ? 'adminPlugins.uninstall.keep' : 'adminPlugins.uninstall.remove')} onChange={setData} />
                <p class="hint">{t(data() === 'keep' ? 'adminPlugins.uninstall.keepHint' : 'adminPlugins.uninstall.removeHint')}</p>
                <div class="actions">
                  <button type="button" class="button danger compact" disabled={action.busy()} data-testid="plugin-uninstall-confirm" onClick={uninstall}>
                    {t('adminPlugins.uninstall.confirm')}
                  </button>
                  <button type="button" class="button compact" data-testid="plugin-uninstall-cancel" onClick={() => setUninstalling(false)}>{t('common.cancel')}</button>
                </div>
              </div>
            </Show>
          </>
        )}
      </Show>
    </>
  );
}

/**
 * The plugin's settings, generated from its form description: money typed in yuan (stored as
 * fen), rates in % (stored as basis points). The server validates; its issues land by the fields.
 */
export function PluginSettingsForm(props: { pluginId: string; settings: PluginSettings; onSaved: (s: PluginSettings) => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = createStore(settingsDraft(props.settings));
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [refusal, setRefusal] = createSignal<{ error: ApiError; other: string[] }>();
  const [saved, setSaved] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const form = () => props.settings.form;

  function set(key: string, value: string | boolean) {
    setDraft(key, value);
    setSaved(false);
    if (errors()[key]) setErrors((prev) => ({ ...prev, [key]: '' }));
  }

  async function save(e: SubmitEvent) {
    e.preventDefault();
    if (busy()) return;
    setSaved(false);
    setRefusal(undefined);
    const { values, invalid } = settingsValues(form(), draft);
    if (invalid.length > 0) return setErrors(Object.fromEntries(invalid.map((k) => [k, t('adminPlugins.settings.notANumber')])));
    setErrors({});
    setBusy(true);
    try {
      const next = await pluginsApi.saveSettings(props.pluginId, values);
      setDraft(settingsDraft(next));
      setSaved(true);
      props.onSaved(next);
    } catch (err) {
      const error = toApiError(err);
      const keys = new Set(form().map((f) => f.key));
      const issues = settingsIssues(error);
      const byField: Record<string, string> = {};
      for (const i of issues) if (keys.has(i.path)) byField[i.path] = byField[i.path] ? `${byField[i.path]}; ${i.message}` : i.message;
      setErrors(byField);
      setRefusal({ error, other: issues.filter((i) => !keys.has(i.path)).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card form" noValidate onSubmit={(e) => void save(e)} data-testid="plugin-settings-form">
      <h2>{t('adminPlugins.settings.title')}</h2>
      <Show when={form().length > 0} fallback={<p class="muted small" data-testid="plugin-settings-none">{t('adminPlugins.settings.none')}</p>}>
        <For each={form()}>
          {(field) => <SettingsInput field={field} value={draft[field.key] ?? ''} error={errors()[field.key]} onChange={(v) => set(field.key, v)} />}
        </For>
        <Show when={refusal()}>
          {(r) => (
            <div class="alert" role="alert" data-testid="plugin-settings-refused" data-code={r().error.code}>
              <strong>{r().error.code === 'PLUGIN_SETTINGS_INVALID' ? t('adminPlugins.settings.invalid') : t('adminPlugins.settings.notSaved')}</strong>
              <p class="small">{r().error.message}</p>
              <Show when={r().other.length > 0}><ul class="small"><For each={r().other}>{(m) => <li>{m}</li>}</For></ul></Show>
            </div>
          )}
        </Show>
        <Show when={saved()}><p class="notice" data-testid="plugin-settings-saved">{t('settings.saved')}</p></Show>
        <div class="actions">
          <button type="submit" class="button primary" disabled={busy()} data-testid="plugin-settings-save">{busy() ? t('common.saving') : t('common.save')}</button>
        </div>
      </Show>
    </form>
  );
}

/** One generated input: a checkbox, chips for a choice, or text (yuan, %, a number, a string). */
function SettingsInput(props: { field: SettingsFormField; value: string | boolean; error?: string; onChange: (v: string | boolean) => void }) {
  const { t, lang } = useI18n();
  const id = () => `setting-${props.field.key}`;
  const label = () => localized(lang(), props.field.label) + (props.field.required ? ' *' : '');
  const unit = () => (props.field.type === 'money-fen' ? t('adminPlugins.settings.yuan') : props.field.type === 'percent-bps' ? '%' : '');
  const note = () => (
    <Show when={props.error} fallback={<Show when={props.field.help}>{(h) => <p class="hint">{localized(lang(), h())}</p>}</Show>}>
      <p class="error" role="alert" data-testid={`${id()}-error`}>{props.error}</p>
    </Show>
  );
  return (
    <div classList={{ field: props.field.type !== 'boolean', invalid: !!props.error }} data-testid={`${id()}-field`} data-type={props.field.type}>
      <Switch fallback={
        <>
          <label for={id()}>{label()}{unit() ? ` (${unit()})` : ''}</label>
          <input id={id()} class="input" value={String(props.value)} data-testid={id()} aria-invalid={props.error ? 'true' : undefined}
            inputmode={props.field.type === 'string' ? undefined : 'decimal'}
            maxLength={props.field.type === 'string' ? props.field.maxLength : undefined}
            onInput={(e) => props.onChange(e.currentTarget.value)} />
        </>
      }>
        <Match when={props.field.type === 'boolean'}>
          <label class="check">
            <input type="checkbox" checked={props.value === true} data-testid={id()} onChange={(e) => props.onChange(e.currentTarget.checked)} />
            {label()}
          </label>
        </Match>
        <Match when={props.field.type === 'enum' ? props.field : undefined}>
          {(f) => (
            <>
              <label>{label()}</label>
              <RadioChips name={id()} options={f().options.map((o) => o.value)} value={String(props.value)} testid={id()}
                label={(v) => { const o = f().options.find((x) => x.value === v); return o ? localized(lang(), o.label) : v; }}
                onChange={(v) => props.onChange(v)} />
            </>
          )}
        </Match>
      </Switch>
      {note()}
    </div>
  );
}
