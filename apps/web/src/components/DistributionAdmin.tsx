import { A } from '@solidjs/router';
import { For, onMount, type Accessor, type JSX } from 'solid-js';
import { distributionPages, type DistributionSectionKey } from '~/lib/admin-distribution';
import { useI18n } from '~/lib/i18n-context';
import type { AdminMe } from '~/lib/types';
import { AdminPage } from './AdminPage';

/** A page of the distribution section: the admin frame, the section's tabs, the page for `permission`. */
export function DistributionAdminPage(props: { title: string; tab: DistributionSectionKey; permission: string; children: (me: Accessor<AdminMe>) => JSX.Element }) {
  return (
    <AdminPage title={props.title} permission={props.permission} header={(me) => <SectionTabs me={me()} active={props.tab} />}>
      {props.children}
    </AdminPage>
  );
}

function SectionTabs(props: { me: AdminMe; active: DistributionSectionKey }) {
  const { t } = useI18n();
  let nav: HTMLElement | undefined;
  // Nine tabs overflow a phone's width: bring the current one into view.
  onMount(() => nav?.querySelector('.active')?.scrollIntoView({ block: 'nearest', inline: 'nearest' }));
  return (
    <nav ref={nav} class="tabs" aria-label={t('admin.nav.distribution')} data-testid="distribution-tabs">
      <For each={distributionPages(props.me.staff)}>
        {(p) => <A href={p.href} classList={{ active: props.active === p.key }} data-testid={`dist-tab-${p.key}`}>{t(`adminDist.tab.${p.key}`)}</A>}
      </For>
    </nav>
  );
}
