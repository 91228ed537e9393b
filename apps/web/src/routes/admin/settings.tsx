import { createSignal, Show } from 'solid-js';
import { can } from '~/components/AdminFrame';
import { AdminPage } from '~/components/AdminPage';
import { RadioChips } from '~/components/RadioChips';
import { api } from '~/lib/api';
import { createClientData, readyValue, toApiError } from '~/lib/client-data';
import { fenToYuanText, parseYuan } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { ShopSettings } from '~/lib/types';

/** Shop settings: name, language, time zone, shipping template, unpaid-order timeout, WeChat keys. */
export default function AdminSettings() {
  const { t } = useI18n();
  return (
    <AdminPage title={t('settings.title')} permission="settings.view">
      {(me) => <SettingsView canManage={can(me().staff, 'settings.manage')} />}
    </AdminPage>
  );
}

function SettingsView(props: { canManage: boolean }) {
  const { t } = useI18n();
  const [data, { set }] = createClientData(() => api.get<{ settings: ShopSettings }>('/api/admin/settings'));
  return (
    <>
      <h1>{t('settings.title')}</h1>
      <Show when={readyValue(data())} fallback={<p class="muted">{t('common.loading')}</p>}>
        {(loaded) => (
          <>
            <GeneralForm settings={loaded().settings} canManage={props.canManage} onSaved={(s) => set({ settings: s })} />
            <WechatForm wechat={loaded().settings.wechat} canManage={props.canManage} />
          </>
        )}
      </Show>
    </>
  );
}

function GeneralForm(props: { settings: ShopSettings; canManage: boolean; onSaved: (s: ShopSettings) => void }) {
  const { t } = useI18n();
  const s = props.settings;
  const [shopName, setShopName] = createSignal(s.shopName ?? '');
  const [locale, setLocale] = createSignal(s.locale ?? 'zh-CN');
  const [timezone, setTimezone] = createSignal(s.timezone ?? 'Asia/Shanghai');
  const [mode, setMode] = createSignal<'flat' | 'free_over'>(s.shipping?.mode ?? 'flat');
  const [fee, setFee] = createSignal(fenToYuanText(s.shipping?.fee ?? 0));
  const [threshold, setThreshold] = createSignal(fenToYuanText(s.shipping?.freeThreshold ?? 0));
  const [timeout, setTimeoutText] = createSignal(String(s.orderTimeoutMinutes ?? 30));
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [saved, setSaved] = createSignal(false);

  async function save(e: SubmitEvent) {
    e.preventDefault();
    setSaved(false);
    const feeFen = parseYuan(fee());
    const thresholdFen = parseYuan(threshold() || '0');
    if (feeFen === undefined || thresholdFen === undefined) return setError(t('settings.moneyInvalid'));
    const minutes = Number(timeout());
    if (!/^\d+$/.test(timeout().trim()) || minutes < 5 || minutes > 10080) return setError(t('settings.timeoutInvalid'));
    const patch: Record<string, unknown> = {
      locale: locale(), timezone: timezone().trim(), orderTimeoutMinutes: minutes,
      shipping: { mode: mode(), fee: feeFen, freeThreshold: thresholdFen },
    };
    if (shopName().trim()) patch.shopName = shopName().trim();
    setBusy(true);
    setError(undefined);
    try {
      const res = await api.patch<{ settings: ShopSettings }>('/api/admin/settings', patch);
      props.onSaved(res.settings);
      setSaved(true);
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card" noValidate onSubmit={(e) => void save(e)} data-testid="settings-form">
      <fieldset disabled={!props.canManage}>
        <h2>{t('settings.basic')}</h2>
        <div class="field"><label for="s-name">{t('settings.shopName')}</label>
          <input id="s-name" class="input" maxLength={60} value={shopName()} data-testid="settings-shop-name" onInput={(e) => setShopName(e.currentTarget.value)} /></div>
        <div class="field"><label for="s-locale">{t('settings.locale')}</label>
          <select id="s-locale" class="input" value={locale()} data-testid="settings-locale" onChange={(e) => setLocale(e.currentTarget.value as 'zh-CN' | 'en')}>
            <option value="zh-CN">简体中文</option><option value="en">English</option>
          </select></div>
        <div class="field"><label for="s-tz">{t('settings.timezone')}</label>
          <input id="s-tz" class="input" maxLength={64} value={timezone()} data-testid="settings-timezone" onInput={(e) => setTimezone(e.currentTarget.value)} /></div>
        <h2>{t('settings.shipping')}</h2>
        <RadioChips name="shipping-mode" options={['flat', 'free_over'] as const} value={mode()} testid="settings-mode" label={(m) => t(`settings.mode.${m}`)} onChange={setMode} />
        <div class="field"><label for="s-fee">{t('settings.fee')}</label>
          <input id="s-fee" class="input" inputmode="decimal" value={fee()} data-testid="settings-fee" onInput={(e) => setFee(e.currentTarget.value)} /></div>
        <Show when={mode() === 'free_over'}>
          <div class="field"><label for="s-free">{t('settings.freeThreshold')}</label>
            <input id="s-free" class="input" inputmode="decimal" value={threshold()} data-testid="settings-free-threshold" onInput={(e) => setThreshold(e.currentTarget.value)} /></div>
        </Show>
        <div class="field"><label for="s-timeout">{t('settings.orderTimeout')}</label>
          <input id="s-timeout" class="input" inputmode="numeric" value={timeout()} data-testid="settings-timeout" onInput={(e) => setTimeoutText(e.currentTarget.value)} /></div>
        <Show when={error()}>{(message) => <p class="alert" role="alert" data-testid="form-error">{message()}</p>}</Show>
        <Show when={saved()}><p class="notice" data-testid="settings-saved">{t('settings.saved')}</p></Show>
        <Show when={props.canManage}>
          <button type="submit" class="button primary" disabled={busy()} data-testid="settings-save">{t('settings.save')}</button>
        </Show>
      </fieldset>
    </form>
  );
}

/** The secret is write-only: the API answers it masked, and the field starts empty. */
function WechatForm(props: { wechat?: { appId: string; appSecret: string }; canManage: boolean }) {
  const { t } = useI18n();
  const [appId, setAppId] = createSignal(props.wechat?.appId ?? '');
  const [secret, setSecret] = createSignal('');
  const [masked, setMasked] = createSignal(props.wechat?.appSecret ?? '');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [saved, setSaved] = createSignal(false);

  async function save(e: SubmitEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setSaved(false);
    try {
      const res = await api.put<{ wechat: { appId: string; appSecret: string } }>('/api/admin/settings/wechat', { appId: appId().trim(), appSecret: secret().trim() });
      setMasked(res.wechat.appSecret);
      setSecret('');
      setSaved(true);
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card" noValidate onSubmit={(e) => void save(e)} data-testid="wechat-form">
      <fieldset disabled={!props.canManage}>
        <h2>{t('settings.wechat')}</h2>
        <div class="field"><label for="s-appid">{t('settings.appId')}</label>
          <input id="s-appid" class="input" maxLength={18} autocomplete="off" value={appId()} data-testid="settings-appid" onInput={(e) => setAppId(e.currentTarget.value)} /></div>
        <div class="field"><label for="s-secret">{t('settings.appSecret')}</label>
          <input id="s-secret" class="input" type="password" autocomplete="new-password" maxLength={32} value={secret()}
            placeholder={masked()} data-testid="settings-appsecret" onInput={(e) => setSecret(e.currentTarget.value)} />
          <p class="hint" data-testid="settings-secret-state">{masked() ? t('settings.secretSet', { masked: masked() }) : t('settings.secretHint')}</p></div>
        <Show when={error()}>{(message) => <p class="alert" role="alert" data-testid="wechat-error">{message()}</p>}</Show>
        <Show when={saved()}><p class="notice" data-testid="wechat-saved">{t('settings.saved')}</p></Show>
        <Show when={props.canManage}>
          <button type="submit" class="button primary" disabled={busy() || !secret().trim()} data-testid="wechat-save">{t('settings.save')}</button>
        </Show>
      </fieldset>
    </form>
  );
}
