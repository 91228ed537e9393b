import { describe, expect, it } from 'vitest';
import { PaymentInputError } from './errors';
import { OFFLINE_PAYOUT_COLUMNS, offlinePayoutCsv, offlinePayoutCsvStream, spreadsheetSafeCell, type OfflinePayoutItem } from './offline-payouts';

const items: OfflinePayoutItem[] = [
  { payoutId: '01925f8e-0000-7000-8000-000000000001', distributorName: '张三', amount: 12345, account: { method: 'bank', bankName: '招商银行 深圳分行', accountNo: '6225880212345678901', realName: '张三' }, remark: '3月佣金' },
  { payoutId: '01925f8e-0000-7000-8000-000000000002', distributorName: '=HYPERLINK("http://evil.example","点我")', amount: 1, account: { method: 'alipay', identity: '2088123412341234', identityType: 'ALIPAY_USER_ID', realName: '李四' }, remark: '+1' },
  { payoutId: '01925f8e-0000-7000-8000-000000000003', distributorName: '王五, "小王"', amount: 100, account: { method: 'wechat', openid: 'o-MYE42l80oelYMDE34nYD456Xoy' }, remark: '@SUM(A1:A9)' },
  { payoutId: '01925f8e-0000-7000-8000-000000000004', distributorName: '赵六', amount: 99_999_999, account: { method: 'offline', note: '现金，门店自取' }, remark: '-2+3' },
];

/** Parses what we write (every cell quoted, CRLF) back into rows, the way a spreadsheet reads it. */
function parse(csv: string): string[][] {
  return csv
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter(Boolean)
    .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"(?:,|$)/g)].map((m) => m[1]!.replaceAll('""', '"')));
}

describe('offline payout CSV', () => {
  it('starts with a UTF-8 BOM so Excel reads Chinese, then the header, one CRLF-ended line per payout', () => {
    const csv = offlinePayoutCsv(items);
    const bytes = new TextEncoder().encode(csv);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.split('\r\n')).toHaveLength(items.length + 2); // header + rows + the empty tail after the last CRLF
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(parse(csv)[0]).toEqual([...OFFLINE_PAYOUT_COLUMNS]);
  });

  it('writes amounts as yuan with two decimals, exactly', () => {
    const amounts = parse(offlinePayoutCsv(items)).slice(1).map((row) => row[6]);
    expect(amounts).toEqual(['123.45', '0.01', '1.00', '999999.99']);
  });

  it('keeps Chinese names, commas and quotes intact', () => {
    const rows = parse(offlinePayoutCsv(items));
    expect(rows[1]!.slice(0, 6)).toEqual(['01925f8e-0000-7000-8000-000000000001', '张三', '银行卡', '招商银行 深圳分行', '6225 8802 1234 5678 901', '张三']);
    expect(rows[3]![1]).toBe('王五, "小王"');
    expect(rows[4]!.slice(2, 4)).toEqual(['线下', '现金，门店自取']);
  });

  it('defuses cells a spreadsheet would run as formulas with a leading apostrophe', () => {
    const rows = parse(offlinePayoutCsv(items));
    expect(rows[2]![1]).toBe(`'=HYPERLINK("http://evil.example","点我")`);
    expect(rows[2]![7]).toBe(`'+1`);
    expect(rows[3]![7]).toBe(`'@SUM(A1:A9)`);
    expect(rows[4]![7]).toBe(`'-2+3`);
    expect(spreadsheetSafeCell('\t=1')).toBe(`"'\t=1"`);
    expect(spreadsheetSafeCell('\r=1')).toBe(`"'\r=1"`);
    expect(spreadsheetSafeCell('3月佣金 = 结算')).toBe('"3月佣金 = 结算"'); // only a leading sign matters
  });

  it('groups long digit strings so Excel neither rounds them nor shows 6.22E+18', () => {
    const rows = parse(offlinePayoutCsv(items));
    expect(rows[1]![4]).toBe('6225 8802 1234 5678 901');
    expect(rows[2]![4]).toBe('2088 1234 1234 1234');
    const phone = offlinePayoutCsv([{ ...items[1]!, account: { method: 'alipay', identity: '13800138000', identityType: 'ALIPAY_LOGON_ID', realName: '李四' } }]);
    expect(parse(phone)[1]![4]).toBe('13800138000');
  });

  it('refuses an amount that is not a positive integer of fen', () => {
    expect(() => offlinePayoutCsv([{ ...items[0]!, amount: 10.5 }])).toThrow(PaymentInputError);
    expect(() => offlinePayoutCsv([{ ...items[0]!, amount: 0 }])).toThrow(PaymentInputError);
  });

  it('streams the same bytes, from an async source', async () => {
    async function* fromDatabase() {
      for (const item of items) yield item;
    }
    const streamed = new Uint8Array(await new Response(offlinePayoutCsvStream(fromDatabase())).arrayBuffer());
    expect(streamed).toEqual(new TextEncoder().encode(offlinePayoutCsv(items)));
  });
});
