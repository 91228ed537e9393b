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

/** An attribute or spec of a product type (or a product's specs): a name and its values. */
export interface NamedValues {
  name: string;
  values: string[];
}

export interface Category {
  id: string;
  parentId: string | null;
  name: string;
  typeId: string | null;
  position: number;
}

/** GET /api/admin/categories and GET /api/catalog: roots with their children (two levels). */
export interface CategoryRoot extends Category {
  children: Category[];
}

export interface ProductType {
  id: string;
  name: string;
  attributes: NamedValues[];
  specs: NamedValues[];
}

export type ShelfStatus = 'on' | 'off';

/** One row of a product list (admin and storefront); prices in fen. */
export interface ProductListItem {
  id: string;
  title: string;
  subtitle: string;
  cover: string | null;
  priceMin: number;
  priceMax: number;
  marketPrice: number | null;
  sales: number;
  status: ShelfStatus;
  stock: number;
  categoryId: string;
}

export interface ProductPage {
  items: ProductListItem[];
  nextCursor: string | null;
}

export type ProductSort = 'relevance' | 'sales' | 'price_asc' | 'price_desc' | 'newest';

/** The storefront home: the category tree and the best sellers. */
export interface Catalog {
  categories: CategoryRoot[];
  products: ProductListItem[];
  nextCursor: string | null;
}

/** A product as the admin edits it (GET /api/admin/products/:id). */
export interface AdminProduct {
  id: string;
  categoryId: string;
  typeId: string | null;
  title: string;
  subtitle: string;
  descriptionHtml: string;
  images: string[];
  attributes: Record<string, string>;
  specs: NamedValues[];
  priceMin: number;
  priceMax: number;
  marketPrice: number | null;
  status: ShelfStatus;
  sales: number;
  lowStockThreshold: number;
  autoOffShelf: boolean;
}

export interface AdminSku {
  id: string;
  specKey: string;
  specs: Record<string, string>;
  price: number;
  marketPrice: number | null;
  stock: number;
}

export interface AdminProductDetail {
  product: AdminProduct;
  skus: AdminSku[];
}

/** What POST /api/admin/products and PUT /api/admin/products/:id take. */
export interface ProductSaveInput {
  title: string;
  subtitle: string;
  categoryId: string;
  descriptionHtml: string;
  images: string[];
  attributes: Record<string, string>;
  specs: NamedValues[];
  skus: { specs: Record<string, string>; price: number; marketPrice: number | null; stock: number }[];
  marketPrice: number | null;
  status: ShelfStatus;
  lowStockThreshold: number;
  autoOffShelf: boolean;
}

export interface UploadedImage {
  key: string;
  contentType: string;
  width: number | null;
  height: number | null;
}

export interface LowStockItem {
  skuId: string;
  specs: Record<string, string>;
  stock: number;
  productId: string;
  title: string;
  threshold: number;
  status: string;
}

/** A product on the shelf as a buyer sees it (GET /api/catalog/products/:id). */
export interface StoreProduct {
  id: string;
  title: string;
  subtitle: string;
  descriptionHtml: string;
  images: string[];
  attributes: Record<string, string>;
  specs: NamedValues[];
  priceMin: number;
  priceMax: number;
  marketPrice: number | null;
  sales: number;
  categoryId?: string;
}

export interface StoreSku {
  id: string;
  specs: Record<string, string>;
  price: number;
  marketPrice: number | null;
  stock: number;
}

export interface StoreProductDetail {
  product: StoreProduct;
  skus: StoreSku[];
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
