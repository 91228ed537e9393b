import type { APIEvent } from '@solidjs/start/server';
import { runScheduledJobs } from '#api-app';

/** The Cron Trigger's run on the edge (see server/scheduled-plugin.ts); 404 for anyone else. */
export async function POST(event: APIEvent): Promise<Response> {
  return runScheduledJobs(event);
}
