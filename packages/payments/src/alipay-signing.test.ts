import { describe, expect, it } from 'vitest';
import { NOTIFY_UNSIGNED, REQUEST_UNSIGNED, alipayTimestamp, rawTopLevelMember, signContent } from './alipay-signing';

/** Known answers written out literally from the Alipay open platform docs' examples. */
describe('Alipay 待签名字符串', () => {
  it('signs every request parameter but sign, sign_type included, sorted, raw values (自行实现签名 example)', () => {
    const biz =
      '{"button":[{"actionParam":"ZFB_HFCZ","actionType":"out","name":"话费充值"},{"name":"查询","subButton":[{"actionParam":"ZFB_YECX","actionType":"out","name":"余额查询"},{"actionParam":"ZFB_LLCX","actionType":"out","name":"流量查询"},{"actionParam":"ZFB_HFCX","actionType":"out","name":"话费查询"}]},{"actionParam":"http://m.alipay.com","actionType":"link","name":"最新优惠"}]}';
    const request = {
      app_id: '2014072300007148',
      method: 'alipay.mobile.public.menu.add',
      charset: 'GBK',
      sign_type: 'RSA2',
      timestamp: '2014-07-24 03:07:50',
      biz_content: biz,
      sign: 'e9zEAe4TTQ4LPLQvETPoLGXTiURcxiAKfMVQ6Hrrsx2hmyIEGvSfAQzbLxHrhyZ48wOJXTsD4FPnt+YGdK57+fP1BCbf9rIVycfjhYCqlFhbTu9pFnZgT55W+xbAFb9y7vL0MyAxwXUXvZtQVqEwW7pURtKilbcBTEW7TAxzgro=',
      version: '1.0',
    };
    expect(signContent(request, REQUEST_UNSIGNED)).toBe(
      `app_id=2014072300007148&biz_content=${biz}&charset=GBK&method=alipay.mobile.public.menu.add&sign_type=RSA2&timestamp=2014-07-24 03:07:50&version=1.0`,
    );
  });

  it('verifies a notify over every parameter but sign and sign_type, URL-decoded and sorted (异步通知验签 example)', () => {
    const body =
      'total_amount=2.00&buyer_id=2088102116773037&body=大乐透2.1&trade_no=2016071921001003030200089909&refund_fee=0.00&notify_time=2016-07-19 14:10:49&subject=大乐透2.1&sign_type=RSA2&charset=utf-8&notify_type=trade_status_sync&out_trade_no=0719141034-6418&gmt_close=2016-07-19 14:10:46&gmt_payment=2016-07-19 14:10:47&trade_status=TRADE_SUCCESS&version=1.0&sign=kPbQIjX+xQc8F0/A6/AocELIjhhZnGbcBN6G4MM/HmfWL4ZiHM6fWl5NQhzXJusaklZ1LFuMo+lHQUELAYeugH8LYFvxnNajOvZhuxNFbN2LhF0l/KL8ANtj8oyPM4NN7Qft2kWJTDJUpQOzCzNnV9hDxh5AaT9FPqRS6ZKxnzM=&gmt_create=2016-07-19 14:10:44&app_id=2015102700040153&seller_id=2088102119685838&notify_id=4a91b7a78a503640467525113fb7d8bg8e';
    const params = Object.fromEntries(body.split('&').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    // The docs' printed result leaves out gmt_create although the example notify carries it;
    // the stated rule (every parameter but sign and sign_type) keeps it, and so do we.
    expect(signContent(params, NOTIFY_UNSIGNED)).toBe(
      'app_id=2015102700040153&body=大乐透2.1&buyer_id=2088102116773037&charset=utf-8&gmt_close=2016-07-19 14:10:46&gmt_create=2016-07-19 14:10:44&gmt_payment=2016-07-19 14:10:47&notify_id=4a91b7a78a503640467525113fb7d8bg8e&notify_time=2016-07-19 14:10:49&notify_type=trade_status_sync&out_trade_no=0719141034-6418&refund_fee=0.00&seller_id=2088102119685838&subject=大乐透2.1&total_amount=2.00&trade_no=2016071921001003030200089909&trade_status=TRADE_SUCCESS&version=1.0',
    );
  });

  it('leaves out empty and undefined parameters (剔除值为空的参数)', () => {
    expect(signContent({ b: '2', a: '', c: undefined, sign: 's', d: '0' }, REQUEST_UNSIGNED)).toBe('b=2&d=0');
  });

  it('writes timestamp as yyyy-MM-dd HH:mm:ss Beijing time', () => {
    expect(alipayTimestamp(Date.UTC(2014, 6, 23, 19, 7, 50))).toBe('2014-07-24 03:07:50');
  });
});

describe('raw response member', () => {
  it('cuts alipay_trade_refund_response out exactly as sent (同步响应验签 example)', () => {
    const inner =
      '{"code":"10000","msg":"Success","buyer_logon_id":"dvr***@sandbox.com","buyer_user_id":"2088102174881929","fund_change":"Y","gmt_refund_pay":"2018-06-20 10:51:02","out_trade_no":"2018620104753419","refund_fee":"0.01","send_back_fee":"0.00","trade_no":"2018062021001004920200514505"}';
    const raw = `{"alipay_trade_refund_response":${inner},"sign":"A/XC4scJe8dF/Gv29g/dzf6bkBtz5H0pnv4eDZzEpz/0QFlQ=="}`;
    expect(rawTopLevelMember(raw, 'alipay_trade_refund_response')).toBe(inner);
    expect(rawTopLevelMember(raw, 'sign')).toBe('"A/XC4scJe8dF/Gv29g/dzf6bkBtz5H0pnv4eDZzEpz/0QFlQ=="');
  });

  it('is not fooled by braces, quotes or the key name inside strings, nor by key order', () => {
    const inner = '{"msg":"a}\\"b{","nested":{"x":[1,{"y":"}"}]},"url":"https:\\/\\/qr.alipay.com\\/bax"}';
    const raw = ` { "sign" : "x\\"alipay_trade_refund_response\\":{}" , "alipay_trade_refund_response" : ${inner} } `;
    expect(rawTopLevelMember(raw, 'alipay_trade_refund_response')).toBe(inner);
    expect(rawTopLevelMember(raw, 'error_response')).toBeUndefined();
  });
});
