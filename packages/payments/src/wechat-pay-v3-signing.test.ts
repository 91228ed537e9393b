import { describe, expect, it } from 'vitest';
import { authorizationHeader, jsapiPayMessage, parseAuthorization, requestMessage, responseMessage } from './wechat-pay-v3-signing';

/**
 * Known answers: each expected string is written out literally from the WeChat Pay API v3 docs
 * (pay.weixin.qq.com), not computed, so a change in how we build them fails here.
 */
describe('WeChat Pay v3 canonical strings', () => {
  it('builds the request 签名串 of the docs example (签名生成: GET /v3/certificates, empty body)', () => {
    expect(requestMessage('GET', '/v3/certificates', '1554208460', '593BEC0C930BF1AFEB40B4A08C8FB242', '')).toBe(
      'GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n',
    );
  });

  it('keeps the query string and the JSON body byte for byte', () => {
    expect(requestMessage('POST', '/v3/refund/domestic/refunds?x=1', '1554208460', 'N', '{"a":"中"}')).toBe(
      'POST\n/v3/refund/domestic/refunds?x=1\n1554208460\nN\n{"a":"中"}\n',
    );
  });

  it('builds the 验签名串 from Wechatpay-Timestamp, Wechatpay-Nonce and the body (签名验证 example headers)', () => {
    expect(responseMessage('1554209980', 'c5ac7061fccab6bf3e254dcf98995b8c', '{"prepay_id":"wx2922034726858082fbd40b511c67630000"}')).toBe(
      '1554209980\nc5ac7061fccab6bf3e254dcf98995b8c\n{"prepay_id":"wx2922034726858082fbd40b511c67630000"}\n',
    );
    // 204 No Content: "最后一行仅为一个\n换行符"
    expect(responseMessage('1554209980', 'n', '')).toBe('1554209980\nn\n\n');
  });

  it('builds the paySign 签名串 of the JSAPI调起支付 example (signType not included)', () => {
    expect(jsapiPayMessage('wx8888888888888888', '1414561699', '5K8264ILTKCH16CQ2502SI8ZNMTM67VS', 'prepay_id=wx201410272009395522657a690389285100')).toBe(
      'wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n',
    );
  });

  it('formats Authorization like the docs example: one line, double quotes, comma without spaces', () => {
    const fields = { mchid: '1900009191', nonce_str: '593BEC0C930BF1AFEB40B4A08C8FB242', signature: 'c2ln+/==', timestamp: '1554208460', serial_no: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C' };
    const header = authorizationHeader(fields);
    expect(header).toBe(
      'WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",signature="c2ln+/==",timestamp="1554208460",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"',
    );
    expect(parseAuthorization(header)).toEqual(fields);
  });

  it('parses the fields in any order (the docs: 五项签名信息无顺序要求) and refuses other schemes', () => {
    expect(parseAuthorization('WECHATPAY2-SHA256-RSA2048 serial_no="S",timestamp="1",signature="x",nonce_str="n",mchid="m"')).toEqual({ mchid: 'm', nonce_str: 'n', signature: 'x', timestamp: '1', serial_no: 'S' });
    expect(parseAuthorization('Bearer x')).toBeNull();
    expect(parseAuthorization('WECHATPAY2-SHA256-RSA2048 mchid="m"')).toBeNull();
  });
});
