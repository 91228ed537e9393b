import { A, useParams } from '@solidjs/router';
import { For, Match, Show, Switch } from 'solid-js';
import { AdminPage } from '~/components/AdminPage';
import { BreakerAlert, PluginActions, PluginBadges, PluginSettingsForm } from '~/components/PluginAdmin';
import { localized, pluginsApi, type PluginDetail } from '~/lib/admin-plugins';
import { managePageOf } from '~/lib/marketing-admin';
import { createClientData, failedError, readyValue } from '~/lib/client-data';
import { useI18n } from '~/lib/i18n-context';

/** One plugin: what it is and may do, its install state and actions, and its settings form. */
export default function AdminPluginPage() {
  const { t } = useI18n();
  const params = useParams<{ id: string }>();
  return (
    <AdminPage title={t('adminPlugins.title')} permission="plugins.manage">
      {() => <Show when={params.id} keyed>{(id) => <Detail id={id} />}</Show>}
    </AdminPage>
  );
}

function Detail(props: { id: string }) {
  const { t } = useI18n();
  const [data, { reload }] = createClientData(() => pluginsApi.detail(props.id));
  return (
    <>
      <p class="small"><A href="/admin/plugins" data-testid="plugin-back">‹ {t('adminPlugins.title')}</A></p>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())}>{(e) => <p class="alert">{e().message}</p>}</Match>
        <Match when={readyValue(data())}>{(p) => <DetailView plugin={p()} onChanged={() => void reload()} />}</Match>
      </Switch>
    </>
  );
}

function DetailView(props: { plugin: PluginDetail; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const p = () => props.plugin;
  return (
    <div data-testid="plugin-detail" data-id={p().id} data-installed={p().installed ? 'yes' : 'no'} data-enabled={p().installed?.enabled ? 'yes' : 'no'}>
      <h1 data-testid="plugin-name">{localized(lang(), p().name)}</h1>
      <PluginBadges plugin={p()} />
      <Show when={p().installed && p().source === 'first_party' ? managePageOf(p().id) : undefined}>
        {(href) => <p><A href={href()} class="button primary compact" data-testid="plugin-manage">{t('padm.manage')}</A></p>}
      </Show>
      <BreakerAlert plugin={p()} onChanged={props.onChanged} />
      <section class="card">
        <Show when={p().description ?? p().summary}>{(d) => <p class="plain-text">{localized(lang(), d())}</p>}</Show>
        <Show when={p().installed}>
          {(i) => <p class="small muted" data-testid="plugin-failures">{t('adminPlugins.failuresCount', { n: i().failures })}</p>}
        </Show>
        <h2>{t('adminPlugins.capabilities')}</h2>
        <Show when={p().capabilities.length > 0} fallback={<p class="muted small">{t('adminPlugins.noCapabilities')}</p>}>
          <ul class="small" data-testid="plugin-capabilities"><For each={p().capabilities}>{(c) => <li><code>{c}</code></li>}</For></ul>
        </Show>
        <PluginActions plugin={p()} onChanged={props.onChanged} />
      </section>
      <Show when={p().installed && p().runnable}>
        <Settings id={p().id} onSaved={props.onChanged} />
      </Show>
    </div>
  );
}

function Settings(props: { id: string; onSaved: () => void }) {
  const { t } = useI18n();
  const [data] = createClientData(() => pluginsApi.settings(props.id));
  return (
    <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
      <Match when={failedError(data())}>{(e) => <p class="alert">{e().message}</p>}</Match>
      <Match when={readyValue(data())}>{(s) => <PluginSettingsForm pluginId={props.id} settings={s()} onSaved={props.onSaved} />}</Match>
    </Switch>
  );
}
