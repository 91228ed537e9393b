import { Match, Switch } from 'solid-js';
import { LoadingPage } from '~/components/StatusPage';
import { SiteProblem } from '~/components/ShopGate';
import { PlatformLanding } from '~/pages/PlatformLanding';
import { StorefrontHome } from '~/pages/StorefrontHome';
import { useSite, type Site } from '~/lib/site';

const shopOf = (site: Site) => (site.kind === 'shop' ? site.shop : undefined);

/** `/` is the platform's landing page on the platform host and the storefront on a shop's. */
export default function Home() {
  const site = useSite();
  return (
    <Switch fallback={<SiteProblem site={site()} />}>
      <Match when={site().kind === 'loading'}><LoadingPage /></Match>
      <Match when={site().kind === 'platform'}><PlatformLanding /></Match>
      <Match when={shopOf(site())}>{(shop) => <StorefrontHome shop={shop} />}</Match>
    </Switch>
  );
}
