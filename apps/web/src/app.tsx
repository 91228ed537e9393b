import { Router } from '@solidjs/router';
import { FileRoutes } from '@solidjs/start/router';
import { Suspense, type ParentProps } from 'solid-js';
import { getRequestEvent, isServer } from 'solid-js/web';
import { basePathOf } from './lib/base';
import { CartCountProvider } from './lib/cart-count';
import { I18nProvider } from './lib/i18n-context';
import { SiteProvider } from './lib/site';
import './app.css';

/** `/s/{slug}` under path routing, '' under host routing; the same pages serve both. */
function routerBase(): string {
  const pathname = isServer ? new URL(getRequestEvent()?.request.url ?? 'http://localhost/').pathname : window.location.pathname;
  return basePathOf(pathname);
}

function Root(props: ParentProps) {
  return (
    <I18nProvider>
      <SiteProvider>
        <CartCountProvider>
          <Suspense>{props.children}</Suspense>
        </CartCountProvider>
      </SiteProvider>
    </I18nProvider>
  );
}

export default function App() {
  return (
    <Router base={routerBase()} root={Root}>
      <FileRoutes />
    </Router>
  );
}
