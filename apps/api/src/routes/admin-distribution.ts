import { Hono } from 'hono';
import type { AppEnv } from '../context';

/** Distribution in the shop admin (D1–D12). */
export const adminDistributionRoutes = new Hono<AppEnv>();
