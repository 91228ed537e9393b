import { A } from '@solidjs/router';
import { For, Match, Show, Switch } from 'solid-js';
import { AdminPage } from '~/components/AdminPage';
import { BreakerAlert, PluginActions, PluginBadges } from '~/components/PluginAdmin';
import { localized, pluginsApi, type PluginOffer } from '~/lib/admin-plugins';
import { createClientData, failedError, readyValue } from '~/lib/client-data';
import { useI18n } from '~/lib/i18n-context';

/**
 * G2: the shop's plugin marketplace — first-party plugins bundled with the deployment and
 * published marketplace plugins, with what this shop has installed of them.
 */
export default function AdminPlugins() {
  const { t } = useI18n();
  return (
    <AdminPage title={t('adminPlugins.title')} permission="plugins.manage">
      {() => <PluginList />}
    </AdminPage>
  );
}

function PluginList() {
  const { t } = useI18n();
  const [data, { reload }] = createClientData(() => pluginsApi.list());
  return (
    <>
      <h1>{t('adminPlugins.title')}</h1>
      <p class="muted small">{t('adminPlugins.hint')}</p>
      <p class="small"><A href="/admin/plugin-stacking" data-testid="plugins-stacking-link">{t('adminPlugins.stackingLink')} →</A></p>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())}>{(e) => <p class="alert">{e().message}</p>}</Match>
        <Match when={readyValue(data())}>
          {(plugins) => (
            <Show when={plugins().length > 0} fallback={<p class="muted" data-testid="plugins-empty">{t('adminPlugins.empty')}</p>}>
              <ul class="plain-list" data-testid="plugins">
                <For each={plugins()}>{(p) => <PluginRow plugin={p} onChanged={() => void reload()} />}</For>
              </ul>
            </Show>
          )}
        </Match>
      </Switch>
    </>
  );
}

function PluginRow(props: { plugin: PluginOffer; onChanged: () => void }) {
  const { lang } = useI18n();
  const p = () => props.plugin;
  return (
    <li class="card" data-testid="plugin-row" data-id={p().id} data-installed={p().installed ? 'yes' : 'no'}
      data-enabled={p().installed?.enabled ? 'yes' : 'no'} data-critical={p().installed?.critical ? 'yes' : 'no'}>
      <div class="card-head">
        <A href={`/admin/plugins/${encodeURIComponent(p().id)}`} data-testid="plugin-open"><strong data-testid="plugin-name">{localized(lang(), p().name)}</strong></A>
        <span class="muted small">{p().id}</span>
      </div>
      <PluginBadges plugin={p()} />
      <Show when={p().summary}>{(s) => <p class="small">{localized(lang(), s())}</p>}</Show>
      <BreakerAlert plugin={p()} onChanged={props.onChanged} />
      <PluginActions plugin={p()} onChanged={props.onChanged} />
    </li>
  );
}
