import { defineNitroPlugin } from 'nitropack/runtime';
import type {} from 'nitropack/presets/cloudflare/types';

/** Where the Cron Trigger's run is handed to the app (an internal request, see below). */
export const SCHEDULED_PATH = '/__tuike/scheduled';

/**
 * Edge build only (nitro plugin). The Worker's `scheduled()` (wrangler.toml [triggers] crons)
 * calls the `cloudflare:scheduled` hook; we pass it on as an in-process request to
 * SCHEDULED_PATH, so the jobs run on the same API instance as the HTTP requests. The marker
 * `scheduled: true` sits in the h3 context, which no client request can set.
 */
export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('cloudflare:scheduled', async ({ controller, env, context }) => {
    const response = await nitroApp.localFetch(SCHEDULED_PATH, {
      method: 'POST',
      context: { _platform: { cloudflare: { env, context, scheduled: true } } },
    });
    if (response.ok) console.log(`[tuike] scheduled jobs ran (${controller.cron})`);
    else console.error(`[tuike] scheduled jobs failed: ${response.status} ${await response.text()}`);
  });
});
