/** Response shapes of the API routes this app calls (see apps/api/src/routes). */

export interface ShopSummary {
  slug: string;
  name: string;
  plan: string;
  status: string;
}

export interface ShopInfo {
  slug: string;
  name: string;
  locale: string;
  plan: string;
}

export interface ShopLinks {
  storefrontUrl: string;
  adminUrl: string;
  storefrontPathUrl: string;
  adminPathUrl: string;
}

export interface Account {
  id: string;
  email: string;
}

export interface SignupResponse extends ShopLinks {
  account: Account;
  shop: ShopSummary;
}

export interface PlatformMe {
  account: Account;
  shops: (ShopSummary & ShopLinks)[];
}

export interface Catalog {
  categories: unknown[];
  products: unknown[];
}

export interface Member {
  id: string;
  username: string;
  nickname: string | null;
  channel: string;
}

export interface StaffRole {
  id: string;
  name: string;
  builtin: string | null;
}

export interface Staff {
  id: string;
  email: string;
  name: string;
  isOwner: boolean;
  roles: StaffRole[];
  permissions: string[];
}

export interface AdminMe {
  staff: Staff;
  shop: ShopSummary;
}

export interface PermissionLabel {
  key: string;
  zh: string;
  en: string;
}

export interface AuditItem {
  id: string;
  staffId: string | null;
  staffName: string;
  entity: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
  ip: string | null;
  createdAt: number;
}

export interface AuditPage {
  items: AuditItem[];
  nextCursor: string | null;
}
