import { assertFen, fenToYuan } from './money';
import type { PayoutAccount } from './payout';

/**
 * The payouts a merchant pays by hand (bank transfer, cash, or a wallet payout that was switched
 * to manual), as a CSV that Excel opens correctly: UTF-8 with a BOM (without it Excel guesses the
 * legacy code page and garbles Chinese), CRLF line ends, every cell quoted.
 *
 * The cells come from distributors (names, remarks), so a cell that a spreadsheet would run as a
 * formula (= + - @, or a leading tab/CR) gets a leading apostrophe. Long digit strings (bank card
 * numbers, 2088… Alipay user ids) are grouped by four with spaces: Excel would otherwise show them
 * in scientific notation and keep only 15 significant digits.
 */
export interface OfflinePayoutItem {
  payoutId: string;
  distributorName: string;
  /** fen */
  amount: number;
  account: PayoutAccount;
  remark: string;
}

export const OFFLINE_PAYOUT_COLUMNS = ['付款单号', '分销员', '收款方式', '开户行/账号类型', '收款账号', '收款人姓名', '金额(元)', '备注'] as const;

const BOM = '\uFEFF';
const CRLF = '\r\n';

const METHOD_LABEL: Record<PayoutAccount['method'], string> = { wechat: '微信零钱', alipay: '支付宝', bank: '银行卡', offline: '线下' };

/** One quoted CSV cell, defused against formula injection. */
export function spreadsheetSafeCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

/** 16+ digits stay exact and readable in a spreadsheet when grouped: 6222 0212 3456 7890 123. */
function accountNumberCell(no: string): string {
  const compact = no.replace(/\s+/g, '');
  return /^\d{12,}$/.test(compact) ? compact.replace(/(\d{4})(?=\d)/g, '$1 ') : no;
}

function accountCells(account: PayoutAccount): [kind: string, number: string, holder: string] {
  switch (account.method) {
    case 'wechat':
      return ['openid', account.openid, account.realName ?? ''];
    case 'alipay':
      return [account.identityType === 'ALIPAY_USER_ID' ? '支付宝用户ID' : '支付宝账号', accountNumberCell(account.identity), account.realName ?? ''];
    case 'bank':
      return [account.bankName, accountNumberCell(account.accountNo), account.realName];
    case 'offline':
      return [account.note ?? '', '', ''];
  }
}

/** The CSV line (with its CRLF) of one payout. */
export function offlinePayoutRow(item: OfflinePayoutItem): string {
  assertFen(item.amount, 'payout amount');
  const [kind, number, holder] = accountCells(item.account);
  const cells = [item.payoutId, item.distributorName, METHOD_LABEL[item.account.method], kind, number, holder, fenToYuan(item.amount), item.remark];
  return cells.map(spreadsheetSafeCell).join(',') + CRLF;
}

const headerLine = () => BOM + OFFLINE_PAYOUT_COLUMNS.map(spreadsheetSafeCell).join(',') + CRLF;

/** The whole file as one string, for a download of modest size. */
export function offlinePayoutCsv(items: Iterable<OfflinePayoutItem>): string {
  let out = headerLine();
  for (const item of items) out += offlinePayoutRow(item);
  return out;
}

/** The same bytes as a stream (a Response body), for lists read page by page from the database. */
export function offlinePayoutCsvStream(items: Iterable<OfflinePayoutItem> | AsyncIterable<OfflinePayoutItem>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  async function* lines() {
    yield headerLine();
    for await (const item of items) yield offlinePayoutRow(item);
  }
  const source = lines();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await source.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await source.return(undefined);
    },
  });
}
