// @refresh reload
import { createHandler, StartServer } from '@solidjs/start/server';
import { getRequestEvent } from 'solid-js/web';
import { pickLang } from './i18n';

/** The page's language goes into <html lang>; the browser starts from it (see i18n-context). */
function requestLang() {
  return pickLang(getRequestEvent()?.request.headers.get('cookie') ?? null);
}

/**
 * `async` mode: the whole page is rendered before the first byte goes out, so a status set while
 * rendering (HttpStatusCode in the 404 page) reaches the response on every runtime. Pages render
 * only their shell on the server (data loads in the browser), so nothing waits on I/O here.
 */
export default createHandler(() => (
  <StartServer
    document={({ assets, children, scripts }) => (
      <html lang={requestLang()}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
          <meta name="theme-color" content="#e4393c" />
          <link rel="icon" href="data:," />
          <title>推客 Tuike</title>
          {assets}
        </head>
        <body>
          <div id="app">{children}</div>
          {scripts}
        </body>
      </html>
    )}
  />
), { mode: 'async' });
