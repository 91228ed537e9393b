import type { APIEvent } from '@solidjs/start/server';
import { handleApi } from '#api-app';

/** Hands the request to the in-process Hono app and returns its Response untouched. */
export const forwardToApi = (event: APIEvent): Promise<Response> => handleApi(event);
