import type { Context } from 'hono';
import { AppError } from '@tuike/core';
import { bindMember, loadDistributionContext, type BindSource } from '@tuike/distribution';
import type { AppEnv } from '../context';
import { readSessionCookie } from './session-cookie';

/** Binds the signed-in member to the distributor with this code; a bad code binds nobody. */
export async function bindByCode(c: Context<AppEnv>, memberId: string, code: string, source: BindSource) {
  return bindMember(c.get('shop').db, memberId, code, source, (await loadDistributionContext(c.get('shop').db)).settings, c.get('services').platform.clock.now());
}

/** After sign-in or registration: the invite code remembered from an anonymous visit, if any. */
export async function bindRemembered(c: Context<AppEnv>, memberId: string, source: BindSource, explicit?: string) {
  const code = explicit ?? readSessionCookie(c, 'tk_ref');
  if (!code) return null;
  try {
    return await bindByCode(c, memberId, code.toUpperCase(), source);
  } catch (e) {
    if (e instanceof AppError && (e.code === 'INVITE_CODE_INVALID' || e.code === 'BINDING_SELF')) return null;
    throw e;
  }
}

