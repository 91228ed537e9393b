import { forwardToApi } from '~/server/api-route';

// Every method goes to the Hono app; SolidStart needs each export to be a local binding.
export const GET = forwardToApi;
export const HEAD = forwardToApi;
export const POST = forwardToApi;
export const PUT = forwardToApi;
export const PATCH = forwardToApi;
export const DELETE = forwardToApi;
export const OPTIONS = forwardToApi;
