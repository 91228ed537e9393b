import type { APIEvent } from '@solidjs/start/server';
import { handleApi } from '#api-app';
import { pickLang, translate } from '~/i18n';

/**
 * Hands the request to the in-process Hono app and returns its Response untouched. The Hono app
 * answers its own errors; what lands here is the app failing to start (database unreachable,
 * missing settings), which still leaves in the API's error shape.
 */
export async function forwardToApi(event: APIEvent): Promise<Response> {
  try {
    return await handleApi(event);
  } catch (error) {
    console.error('[tuike] the API could not handle the request', error);
    const lang = pickLang(event.request.headers.get('cookie'));
    return Response.json({ error: { code: 'INTERNAL', message: translate(lang, 'common.serverError') } }, { status: 500 });
  }
}
