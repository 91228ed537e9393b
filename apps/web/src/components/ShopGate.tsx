import { Match, Switch, type Accessor, type JSX } from 'solid-js';
import { useI18n } from '~/lib/i18n-context';
import { useSite, type Site } from '~/lib/site';
import type { ShopInfo } from '~/lib/types';
import { LoadingPage, StatusPage } from './StatusPage';

const shopOf = (site: Site): ShopInfo | undefined => (site.kind === 'shop' ? site.shop : undefined);

/** Renders a shop page once the shop is known; otherwise the page that says why not. */
export function ShopGate(props: { children: (shop: Accessor<ShopInfo>) => JSX.Element }) {
  const site = useSite();
  return (
    <Switch fallback={<SiteProblem site={site()} />}>
      <Match when={site().kind === 'loading'}><LoadingPage /></Match>
      <Match when={shopOf(site())}>{(shop) => props.children(shop)}</Match>
    </Switch>
  );
}

/** Not found, suspended, the platform host, or the API is unreachable. */
export function SiteProblem(props: { site: Site }) {
  const { t } = useI18n();
  return (
    <Switch>
      <Match when={props.site.kind === 'missing'}>
        <StatusPage testid="shop-missing" title={t('site.missingTitle')} text={t('site.missingText')} />
      </Match>
      <Match when={props.site.kind === 'suspended'}>
        <StatusPage testid="shop-suspended" title={t('site.suspendedTitle')} text={t('site.suspendedText')} />
      </Match>
      <Match when={props.site.kind === 'platform'}>
        <StatusPage
          testid="not-a-shop"
          title={t('site.notShopTitle')}
          text={t('site.notShopText')}
          action={<a class="button" href="/">{t('common.home')}</a>}
        />
      </Match>
      <Match when={props.site.kind === 'error' ? props.site : undefined}>
        {(problem) => (
          <StatusPage
            testid="site-error"
            title={t('site.errorTitle')}
            text={problem().message}
            action={<button type="button" class="button" onClick={() => problem().retry()}>{t('common.retry')}</button>}
          />
        )}
      </Match>
    </Switch>
  );
}
