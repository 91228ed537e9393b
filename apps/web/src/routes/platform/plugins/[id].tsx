import { A, useParams } from '@solidjs/router';
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { Capabilities, ConsolePage, VersionBadge } from '~/components/PlatformConsole';
import { localized } from '~/lib/admin-plugins';
import { createClientData, failedError, readyValue, toApiError } from '~/lib/client-data';
import { createAction } from '~/lib/form';
import { formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import { consoleApi, uploadBody, type ConsoleVersion, type MyPlugin } from '~/lib/platform-console';

/** G3: one of the author's listings — its versions with status and capabilities, upload and submit. */
export default function ConsolePlugin() {
  const { t } = useI18n();
  const params = useParams<{ id: string }>();
  return (
    <ConsolePage title={t('console.plugins.title')}>
      {() => <Show when={params.id} keyed>{(id) => <Listing id={id} />}</Show>}
    </ConsolePage>
  );
}

function Listing(props: { id: string }) {
  const { t } = useI18n();
  const [data, { reload }] = createClientData(async () => {
    const found = (await consoleApi.mine()).find((p) => p.id === props.id);
    if (!found) throw new Error(t('console.plugin.notYours'));
    return found;
  });
  return (
    <>
      <p class="small"><A href="/platform/plugins" data-testid="console-back">‹ {t('console.plugins.title')}</A></p>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())}>{(e) => <p class="alert" data-testid="console-plugin-error">{e().message}</p>}</Match>
        <Match when={readyValue(data())}>{(p) => <ListingView plugin={p()} onChanged={() => void reload()} />}</Match>
      </Switch>
    </>
  );
}

function ListingView(props: { plugin: MyPlugin; onChanged: () => void }) {
  const { t, tOr, lang } = useI18n();
  const p = () => props.plugin;
  return (
    <div data-testid="console-plugin-detail" data-id={p().id}>
      <h1 data-testid="console-plugin-name">{localized(lang(), p().name)}</h1>
      <section class="card">
        <dl class="facts small">
          <dt>{t('console.listing.id')}</dt><dd><code>{p().id}</code></dd>
          <dt>{t('console.listing.category')}</dt><dd>{tOr(`console.category.${p().category}`, p().category)}</dd>
          <dt>{t('console.plugin.published')}</dt><dd data-testid="console-plugin-published">{p().publishedVersion ?? '—'}</dd>
        </dl>
        <p class="small">{localized(lang(), p().summary)}</p>
        <p class="small plain-text">{localized(lang(), p().description)}</p>
      </section>
      <h2>{t('console.versions')}</h2>
      <Show when={p().versions.length > 0} fallback={<p class="muted small" data-testid="console-no-versions">{t('console.versions.none')}</p>}>
        <ul class="plain-list" data-testid="console-versions">
          <For each={p().versions}>{(v) => <VersionRow version={v} onChanged={props.onChanged} />}</For>
        </ul>
      </Show>
      <UploadForm pluginId={p().id} onUploaded={props.onChanged} />
    </div>
  );
}

function VersionRow(props: { version: ConsoleVersion; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const action = createAction();
  const v = () => props.version;
  return (
    <li class="card" data-testid="console-version" data-version={v().version} data-status={v().status}>
      <div class="card-head"><strong>v{v().version}</strong><VersionBadge status={v().status} /></div>
      <p class="small muted">{t('console.version.uploaded', { time: formatTime(lang(), v().createdAt) })} · {t('console.version.bundle', { size: v().bundle.size })}</p>
      <h3>{t('console.capabilities')}</h3>
      <Capabilities list={v().capabilities} />
      <Show when={v().reviewNote}>{(n) => <p class="alert warn small" data-testid="console-version-note">{t('console.version.note', { note: n() })}</p>}</Show>
      <Show when={action.error()}>{(m) => <p class="alert small" role="alert">{m()}</p>}</Show>
      <Show when={v().status === 'draft'}>
        <div class="actions">
          <button type="button" class="button primary compact" disabled={action.busy()} data-testid="console-version-submit"
            onClick={() => void action.run(async () => { await consoleApi.submit(v().pluginId, v().version); props.onChanged(); })}>{t('console.version.submit')}</button>
        </div>
      </Show>
    </li>
  );
}

function UploadForm(props: { pluginId: string; onUploaded: () => void }) {
  const { t } = useI18n();
  const [manifest, setManifest] = createSignal('');
  const [bundle, setBundle] = createSignal('');
  const [error, setError] = createSignal<{ field: 'manifest' | 'bundle' | 'form'; message: string; other?: string[] }>();
  const [busy, setBusy] = createSignal(false);

  async function readFile(file: File | undefined, into: (text: string) => void) {
    if (file) into(await file.text());
  }

  async function upload(e: SubmitEvent) {
    e.preventDefault();
    if (busy()) return;
    setError(undefined);
    const { body, problem } = uploadBody(manifest(), bundle());
    if (!body) return setError({ field: problem ?? 'form', message: t(problem === 'bundle' ? 'console.upload.badBundle' : 'console.upload.badManifest') });
    setBusy(true);
    try {
      await consoleApi.upload(props.pluginId, body);
      setManifest('');
      setBundle('');
      props.onUploaded();
    } catch (err) {
      const apiError = toApiError(err);
      const details = Array.isArray(apiError.details) ? apiError.details : (apiError.details as { errors?: unknown[] } | undefined)?.errors;
      const other = Array.isArray(details) ? details.map((d) => (typeof d === 'object' && d !== null ? Object.values(d as Record<string, unknown>).join(' · ') : String(d))) : undefined;
      const field = apiError.fieldPaths().some((p) => p.startsWith('bundle')) ? 'bundle' : apiError.code.startsWith('PLUGIN_') && apiError.code !== 'PLUGIN_VERSION_EXISTS' ? 'manifest' : 'form';
      setError({ field, message: apiError.message, other });
    } finally {
      setBusy(false);
    }
  }

  const note = (field: 'manifest' | 'bundle' | 'form') => (
    <Show when={error()?.field === field ? error() : undefined}>
      {(e) => (
        <div class="error" role="alert" data-testid={`console-upload-${field}-error`}>
          {e().message}
          <Show when={e().other?.length}><ul class="small"><For each={e().other}>{(m) => <li>{m}</li>}</For></ul></Show>
        </div>
      )}
    </Show>
  );

  return (
    <form class="card form" noValidate onSubmit={(e) => void upload(e)} data-testid="console-upload-form">
      <h2>{t('console.upload.title')}</h2>
      <p class="hint">{t('console.upload.hint')}</p>
      <div class="field" classList={{ invalid: error()?.field === 'manifest' }}>
        <label for="console-upload-manifest">{t('console.upload.manifest')}</label>
        <textarea id="console-upload-manifest" class="input" value={manifest()} data-testid="console-upload-manifest" onInput={(e) => setManifest(e.currentTarget.value)} />
        <input type="file" accept="application/json,.json" data-testid="console-upload-manifest-file" onChange={(e) => void readFile(e.currentTarget.files?.[0], setManifest)} />
        {note('manifest')}
      </div>
      <div class="field" classList={{ invalid: error()?.field === 'bundle' }}>
        <label for="console-upload-bundle">{t('console.upload.bundle')}</label>
        <textarea id="console-upload-bundle" class="input" value={bundle()} data-testid="console-upload-bundle" onInput={(e) => setBundle(e.currentTarget.value)} />
        <p class="hint">{t('console.upload.bundleHint')}</p>
        {note('bundle')}
      </div>
      {note('form')}
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy()} data-testid="console-upload-save">{t('console.upload.submit')}</button>
      </div>
    </form>
  );
}
