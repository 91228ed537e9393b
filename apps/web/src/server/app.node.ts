import { resolve } from 'node:path';
import { getRequestIP } from 'vinxi/http';
import { createApp } from '@tuike/api';
import { createNodePlatform, nodeAppConfig, offsetFileClock } from '@tuike/api/node';
import { apiConfig, notFound, once, setting, type ApiHandler, type ScheduledRunner } from './api-entry';

/** Node target: libSQL files under TUIKE_DATA_DIR (default ./data, relative to the cwd). */
const app = once(() => {
  const env = process.env as Record<string, unknown>;
  const dataDir = resolve(setting(env, 'TUIKE_DATA_DIR') ?? './data');
  const clockFile = setting(env, 'TUIKE_CLOCK_OFFSET_FILE');
  return createApp(createNodePlatform({ dataDir, clock: clockFile ? offsetFileClock(clockFile) : undefined }), { ...apiConfig(env), ...nodeAppConfig(env) });
});

/** The socket's address: nothing in front of this server is trusted to tell us the client's IP. */
export const handleApi: ApiHandler = async (event) => {
  const clientIp = getRequestIP(event.nativeEvent) ?? undefined;
  return (await app()).fetch(event.request, { clientIp });
};

/** On Node the platform's own timers run the jobs; there is no Cron Trigger to answer. */
export const runScheduledJobs: ScheduledRunner = async () => notFound();
