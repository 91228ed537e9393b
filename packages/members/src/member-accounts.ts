import { eq } from 'drizzle-orm';
import { AppError, isStrongPassword, isUniqueViolation, newId, UNUSABLE_PASSWORD_HASH, type PasswordHasher } from '@tuike/core';
import { members, memberChannels, shopEventSql } from '@tuike/db-tenant';
import type { ShopOrm } from '@tuike/staff';

export type MemberChannel = (typeof memberChannels)[number];
export type Member = typeof members.$inferSelect;

/** What a member may see of their own record: never the password hash. */
export const publicMember = (m: Member) => ({
  id: m.id, username: m.username, nickname: m.nickname, avatarUrl: m.avatarUrl, channel: m.channel, createdAt: m.createdAt,
});

/** WAP/H5 registration: username + password. The channel the member arrived on is kept for reports. */
export async function registerMember(orm: ShopOrm, hasher: PasswordHasher, input: { username: string; password: string; channel: MemberChannel }, now: number) {
  if (!isStrongPassword(input.password)) throw new AppError('WEAK_PASSWORD');
  const username = input.username.trim().toLowerCase();
  const member = {
    id: newId(), username, passwordHash: await hasher.hash(input.password), nickname: input.username.trim(),
    channel: input.channel, createdAt: now, updatedAt: now,
  };
  try {
    const [[row]] = await orm.batch([
      orm.insert(members).values(member).returning(),
      orm.run(shopEventSql('member.registered', { memberId: member.id, channel: member.channel }, now)),
    ]);
    return row!;
  } catch (e) {
    if (isUniqueViolation(e, 'members.username')) throw new AppError('USERNAME_TAKEN');
    throw e;
  }
}

export async function authenticateMember(orm: ShopOrm, hasher: PasswordHasher, username: string, password: string) {
  const [m] = await orm.select().from(members).where(eq(members.username, username.trim().toLowerCase()));
  // Hash even when the member is unknown so response time does not reveal which usernames exist.
  const ok = await hasher.verify(password, m?.passwordHash ?? UNUSABLE_PASSWORD_HASH);
  if (!m || !ok || m.status !== 'active') throw new AppError('INVALID_CREDENTIALS');
  return m;
}

export async function findMember(orm: ShopOrm, id: string) {
  const [m] = await orm.select().from(members).where(eq(members.id, id));
  return m && m.status === 'active' ? m : null;
}

