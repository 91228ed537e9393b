import type { Staff } from './types';

/** The pages of the admin's distribution section, each with the permission that opens it. */
export const DISTRIBUTION_SECTION = [
  { key: 'distributors', href: '/admin/distribution', permission: 'distributors.view' },
  { key: 'commissions', href: '/admin/distribution/commissions', permission: 'commissions.view' },
  { key: 'settlements', href: '/admin/distribution/settlements', permission: 'commissions.view' },
  { key: 'withdrawals', href: '/admin/distribution/withdrawals', permission: 'withdrawals.review' },
  { key: 'payouts', href: '/admin/distribution/payouts', permission: 'payouts.manage' },
  { key: 'grades', href: '/admin/distribution/grades', permission: 'distributors.view' },
  { key: 'rules', href: '/admin/distribution/rules', permission: 'distributors.view' },
  { key: 'materials', href: '/admin/distribution/materials', permission: 'distributors.view' },
  { key: 'settings', href: '/admin/distribution/settings', permission: 'distributors.view' },
] as const;

export type DistributionSectionKey = (typeof DISTRIBUTION_SECTION)[number]['key'];

/** The section's pages this staff member may open. */
export const distributionPages = (staff: Staff) => DISTRIBUTION_SECTION.filter((p) => staff.permissions.includes(p.permission));

/** Where the menu's 分销 goes: the first page of the section this staff member may open. */
export const distributionHome = (staff: Staff): string | undefined => distributionPages(staff)[0]?.href;

/** Every page under /admin/distribution: the menu's 分销 stays highlighted on all of them. */
export const DISTRIBUTION_PATH = /\/admin\/distribution(?:\/|$)/;

/** Payout methods a person pays (bank, offline): only these are marked paid or failed by hand (the API's rule). */
export const MANUAL_PAYOUT_METHODS: readonly string[] = ['bank', 'offline'];
