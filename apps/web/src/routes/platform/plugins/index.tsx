import { A, useNavigate } from '@solidjs/router';
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { createStore } from 'solid-js/store';
import { FormAlert } from '~/components/Field';
import { TextInput } from '~/components/MarketingAdmin';
import { ConsolePage, VersionBadge } from '~/components/PlatformConsole';
import { localized } from '~/lib/admin-plugins';
import { createClientData, failedError, readyValue, toApiError } from '~/lib/client-data';
import { createAction } from '~/lib/form';
import { useI18n } from '~/lib/i18n-context';
import { consoleApi, PLUGIN_CATEGORIES, type MyPlugin } from '~/lib/platform-console';

/** G3: the author's plugins on the platform — become an author, create a listing, open one. */
export default function ConsolePlugins() {
  const { t } = useI18n();
  return (
    <ConsolePage title={t('console.plugins.title')}>
      {(me) => <Mine email={me.account.email} />}
    </ConsolePage>
  );
}

function Mine(props: { email: string }) {
  const { t, lang } = useI18n();
  const [data, { reload }] = createClientData(() => consoleApi.mine());
  const action = createAction();
  const [creating, setCreating] = createSignal(false);
  return (
    <>
      <div class="page-head">
        <h1>{t('console.plugins.title')}</h1>
        <Show when={readyValue(data()) && !creating()}>
          <button type="button" class="button primary compact" data-testid="console-new-listing" onClick={() => setCreating(true)}>{t('console.listing.new')}</button>
        </Show>
      </div>
      <p class="muted small">{t('console.signedInAs', { email: props.email })}</p>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())?.code === 'FORBIDDEN'}>
          <section class="card" data-testid="console-become-author">
            <h2>{t('console.author.title')}</h2>
            <p class="small">{t('console.author.text')}</p>
            <Show when={action.error()}>{(m) => <p class="alert small">{m()}</p>}</Show>
            <button type="button" class="button primary" disabled={action.busy()} data-testid="console-become-author-submit"
              onClick={() => void action.run(async () => { await consoleApi.becomeAuthor(); await reload(); })}>{t('console.author.submit')}</button>
          </section>
        </Match>
        <Match when={failedError(data())}>{(e) => <p class="alert">{e().message}</p>}</Match>
        <Match when={readyValue(data())}>
          {(list) => (
            <>
              <Show when={creating()}><ListingForm onCancel={() => setCreating(false)} /></Show>
              <Show when={list().length > 0} fallback={<p class="muted" data-testid="console-no-plugins">{t('console.plugins.empty')}</p>}>
                <ul class="plain-list" data-testid="console-plugins">
                  <For each={list()}>{(p) => <PluginRow plugin={p} lang={lang()} />}</For>
                </ul>
              </Show>
            </>
          )}
        </Match>
      </Switch>
    </>
  );
}

function PluginRow(props: { plugin: MyPlugin; lang: 'zh-CN' | 'en' }) {
  const { t } = useI18n();
  const p = () => props.plugin;
  return (
    <li class="card" data-testid="console-plugin" data-id={p().id}>
      <div class="card-head">
        <A href={`/platform/plugins/${encodeURIComponent(p().id)}`} data-testid="console-plugin-open"><strong>{localized(props.lang, p().name)}</strong></A>
        <span class="muted small">{p().id}</span>
      </div>
      <p class="small">{localized(props.lang, p().summary)}</p>
      <p class="small">
        {t('console.plugins.versions', { n: p().versions.length })}
        <Show when={p().versions[0]}>{(v) => <>{' · '}v{v().version} <VersionBadge status={v().status} /></>}</Show>
        <Show when={p().publishedVersion}>{(pv) => <>{' · '}{t('console.plugins.published', { version: pv() })}</>}</Show>
      </p>
    </li>
  );
}

const LISTING_FIELDS = ['id', 'name.zh', 'name.en', 'summary.zh', 'summary.en', 'description.zh', 'description.en', 'category'] as const;
type ListingField = (typeof LISTING_FIELDS)[number];

function ListingForm(props: { onCancel: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [f, setF] = createStore<Record<ListingField, string>>({ id: '', 'name.zh': '', 'name.en': '', 'summary.zh': '', 'summary.en': '', 'description.zh': '', 'description.en': '', category: 'marketing' });
  const [errors, setErrors] = createSignal<Partial<Record<ListingField | 'form', string>>>({});
  const [busy, setBusy] = createSignal(false);

  async function save(e: SubmitEvent) {
    e.preventDefault();
    if (busy()) return;
    setBusy(true);
    setErrors({});
    try {
      const body = {
        id: f.id.trim(), category: f.category,
        name: { zh: f['name.zh'], en: f['name.en'] }, summary: { zh: f['summary.zh'], en: f['summary.en'] }, description: { zh: f['description.zh'], en: f['description.en'] },
      };
      const created = await consoleApi.createListing(body);
      navigate(`/platform/plugins/${encodeURIComponent(created.plugin.id)}`);
    } catch (error) {
      const apiError = toApiError(error);
      const named = apiError.fieldPaths().filter((p): p is ListingField => (LISTING_FIELDS as readonly string[]).includes(p));
      if (apiError.code.startsWith('PLUGIN_ID') || apiError.code === 'PLUGIN_EXISTS') setErrors({ id: apiError.message });
      else if (named.length) setErrors(Object.fromEntries(named.map((k) => [k, apiError.message])));
      else setErrors({ form: apiError.message });
    } finally {
      setBusy(false);
    }
  }

  const input = (key: ListingField, label: string, testid: string, max: number) => (
    <TextInput label={label} value={f[key]} onInput={(v) => setF(key, v)} testid={testid} error={errors()[key]} maxLength={max} />
  );

  return (
    <form class="card form" noValidate onSubmit={(e) => void save(e)} data-testid="console-listing-form">
      <h2>{t('console.listing.new')}</h2>
      {input('id', t('console.listing.id'), 'console-listing-id', 31)}
      <p class="hint">{t('console.listing.idHint')}</p>
      <div class="grid2">
        {input('name.zh', t('console.listing.nameZh'), 'console-listing-name-zh', 60)}
        {input('name.en', t('console.listing.nameEn'), 'console-listing-name-en', 60)}
        {input('summary.zh', t('console.listing.summaryZh'), 'console-listing-summary-zh', 200)}
        {input('summary.en', t('console.listing.summaryEn'), 'console-listing-summary-en', 200)}
        {input('description.zh', t('console.listing.descriptionZh'), 'console-listing-description-zh', 5000)}
        {input('description.en', t('console.listing.descriptionEn'), 'console-listing-description-en', 5000)}
      </div>
      <div class="field">
        <label for="console-listing-category">{t('console.listing.category')}</label>
        <select id="console-listing-category" class="input" value={f.category} data-testid="console-listing-category" onChange={(e) => setF('category', e.currentTarget.value)}>
          <For each={PLUGIN_CATEGORIES}>{(c) => <option value={c}>{t(`console.category.${c}`)}</option>}</For>
        </select>
      </div>
      <FormAlert message={errors().form} />
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy()} data-testid="console-listing-save">{t('console.listing.create')}</button>
        <button type="button" class="button" onClick={() => props.onCancel()}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}
