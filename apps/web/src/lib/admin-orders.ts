import { apiHref, queryString } from './api';
import { localDayEnd, localDayStart } from './format';
import { MEMBER_CHANNELS, ORDER_STATUSES, type MemberChannel, type OrderStatus } from './types';

/**
 * The admin order list's filters as they stand in the page's URL (`/admin/orders?status=paid&…`),
 * so a reload, the back button or a shared link shows the same list. Dates are `yyyy-mm-dd`
 * (local days); `q` is the start of an order number.
 */
export interface OrderFilters {
  status: OrderStatus | '';
  channel: MemberChannel | '';
  from: string;
  to: string;
  q: string;
}

export const noOrderFilters: OrderFilters = { status: '', channel: '', from: '', to: '', q: '' };

/** The status tabs: 全部 / 待付款 / 待发货 / 已发货 / 已完成 / 已关闭 (the API filters one status at a time). */
export type AdminOrderTab = 'all' | 'pending_payment' | 'paid' | 'shipped' | 'completed' | 'closed';
export const ADMIN_ORDER_TABS: readonly { key: AdminOrderTab; status: OrderStatus | '' }[] = [
  { key: 'all', status: '' },
  { key: 'pending_payment', status: 'pending_payment' },
  { key: 'paid', status: 'paid' },
  { key: 'shipped', status: 'shipped' },
  { key: 'completed', status: 'completed' },
  { key: 'closed', status: 'closed' },
];

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** What the API's `q` takes: digits only (an order number is date + digits). */
export const ORDER_NO_PREFIX = /^\d{1,32}$/;
/** What a tracking number may be (the API's rule): 4–40 letters, digits or dashes. */
export const TRACKING_NO = /^[A-Za-z0-9-]{4,40}$/;
export const CARRIER_MAX = 20;

const one = (value: string | string[] | undefined): string => (Array.isArray(value) ? value[0] ?? '' : value ?? '');

/** Filters from the URL's search params; anything the API would refuse is dropped. */
export function filtersFromParams(params: Partial<Record<keyof OrderFilters, string | string[]>>): OrderFilters {
  const status = one(params.status);
  const channel = one(params.channel);
  const from = one(params.from);
  const to = one(params.to);
  const q = one(params.q).replace(/\s+/g, '');
  return {
    status: (ORDER_STATUSES as readonly string[]).includes(status) ? (status as OrderStatus) : '',
    channel: (MEMBER_CHANNELS as readonly string[]).includes(channel) ? (channel as MemberChannel) : '',
    from: DAY.test(from) ? from : '',
    to: DAY.test(to) ? to : '',
    q: ORDER_NO_PREFIX.test(q) ? q : '',
  };
}

/** The query the API's list and export take: local days as epoch millis, `to` exclusive. */
export const apiOrderQuery = (f: OrderFilters, cursor?: string | null): string =>
  queryString({ status: f.status, channel: f.channel, from: localDayStart(f.from), to: localDayEnd(f.to), q: f.q, cursor });

/** The page's own query (router path): the filters as typed, dates as `yyyy-mm-dd`. */
export const pageOrderQuery = (f: OrderFilters): string =>
  queryString({ status: f.status, channel: f.channel, from: f.from, to: f.to, q: f.q });

/**
 * The CSV export of the current filters: a plain same-origin GET (the staff cookie goes along), so
 * a link downloads it and the browser streams it to disk. Base-aware; client only.
 */
export const exportCsvUrl = (f: OrderFilters): string => apiHref(`/api/admin/orders/export.csv${apiOrderQuery(f)}`);

/** The batch shipping template: header only, with a BOM so Excel opens the Chinese header as UTF-8. */
export const SHIP_TEMPLATE_HEADER = '订单号,物流公司,运单号';
export const shipTemplateHref = (): string =>
  `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${SHIP_TEMPLATE_HEADER}\r\n`)}`;

/** The largest CSV the API takes (1 MB of UTF-8). */
export const MAX_SHIP_CSV_BYTES = 1024 * 1024;

/**
 * A CSV file's text. Excel on Chinese Windows saves "CSV" as GB18030, not UTF-8: read UTF-8 when
 * the bytes are valid UTF-8, else GB18030, so 顺丰 arrives as 顺丰 and not as mojibake.
 */
export async function readCsvFile(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('gb18030').decode(bytes);
  }
  return text.replace(/^\uFEFF/, '');
}

/** Common carriers offered as suggestions (free text is accepted: the API stores any name ≤ 20 characters). */
export const CARRIER_SUGGESTIONS = ['顺丰速运', '中通快递', '圆通速递', '韵达快递', '申通快递', '极兔速递', '京东物流', '邮政EMS', '德邦快递'] as const;
