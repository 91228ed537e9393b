import { A } from '@solidjs/router';
import { For, Match, Show, Switch, type JSX } from 'solid-js';
import { api } from '~/lib/api';
import { createClientData, failedError, readyValue } from '~/lib/client-data';
import { useI18n } from '~/lib/i18n-context';
import type { PlatformMe } from '~/lib/types';
import type { MessageKey } from '~/i18n';
import type { VersionStatus } from '~/lib/platform-console';
import { PageShell } from './PageShell';

/** A page of the platform console: signed-in platform accounts only (others are sent to /platform/login). */
export function ConsolePage(props: { title: string; children: (me: PlatformMe) => JSX.Element }) {
  const { t } = useI18n();
  const [me] = createClientData(() => api.get<PlatformMe>('/api/platform/me'));
  return (
    <PageShell title={`${t('app.name')} · ${props.title}`} nav={
      <>
        <A href="/platform/plugins" end activeClass="active" data-testid="console-nav-plugins">{t('console.nav.plugins')}</A>
        <A href="/platform/review" activeClass="active" data-testid="console-nav-review">{t('console.nav.review')}</A>
        <A href="/platform/login" data-testid="console-nav-account">{t('console.nav.account')}</A>
      </>
    }>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(me())?.code === 'UNAUTHENTICATED'}>
          <p class="alert" data-testid="console-signin">{t('console.signIn')} <A href="/platform/login" data-testid="console-signin-link">{t('console.signInLink')}</A></p>
        </Match>
        <Match when={failedError(me())}>{(e) => <p class="alert">{e().message}</p>}</Match>
        <Match when={readyValue(me())}>{(m) => props.children(m())}</Match>
      </Switch>
    </PageShell>
  );
}

export const VERSION_STATUS: Record<VersionStatus, MessageKey> = {
  draft: 'console.status.draft', submitted: 'console.status.submitted', approved: 'console.status.approved', rejected: 'console.status.rejected', published: 'console.status.published',
};

export function VersionBadge(props: { status: VersionStatus }) {
  const { t } = useI18n();
  return (
    <span class="badge" classList={{ off: props.status === 'draft' || props.status === 'rejected', ok: props.status === 'published' }} data-testid="console-version-status" data-status={props.status}>
      {t(VERSION_STATUS[props.status])}
    </span>
  );
}

export function Capabilities(props: { list: string[] }) {
  const { t } = useI18n();
  return (
    <Show when={props.list.length > 0} fallback={<p class="muted small">{t('console.noCapabilities')}</p>}>
      <ul class="tags small" data-testid="console-capabilities"><For each={props.list}>{(c) => <li><code>{c}</code></li>}</For></ul>
    </Show>
  );
}
