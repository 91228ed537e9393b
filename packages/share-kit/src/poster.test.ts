import type { Document, Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { ShareKitInputError } from './errors';
import { businessCardSvg, productPosterSvg, shopQrCardSvg, type ProductPosterInput } from './poster';
import { parseSvg, readQrFromSvgElement } from './testing/qr-reader';
import { ELLIPSIS, textWidthEm } from './text-layout';

const pixel = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const base: ProductPosterInput = {
  productImageHref: 'https://img.tuike.test/p/42.jpg',
  title: '新款羊毛围巾',
  priceFen: 19900,
  shopName: '小红的店',
  distributorName: '张三',
  qrText: 'https://shop-a.tuike.test/p/42?d=0193a5f2',
  locale: 'zh-CN',
};

function byClass(doc: Document, name: string): Element[] {
  return Array.from(doc.getElementsByTagName('*')).filter((e) => e.getAttribute('class') === name);
}

const textOf = (doc: Document, name: string) => byClass(doc, name).map((e) => e.textContent);

/** The QR code's nested <svg> (the only element that holds a path). */
function qrElement(doc: Document): Element {
  const path = doc.getElementsByTagName('path')[0];
  if (!path?.parentNode) throw new Error('no QR path in the poster');
  return path.parentNode as Element;
}

describe('productPosterSvg', () => {
  it('is a 750×1334 phone poster with the photo on top, price, recommender, caption and a readable QR code', () => {
    const doc = parseSvg(productPosterSvg(base));
    const svg = doc.documentElement!;
    expect([svg.getAttribute('width'), svg.getAttribute('height'), svg.getAttribute('viewBox')]).toEqual(['750', '1334', '0 0 750 1334']);
    const image = doc.getElementsByTagName('image')[0]!;
    expect([image.getAttribute('href'), image.getAttribute('y'), image.getAttribute('width')]).toEqual([base.productImageHref, '0', '750']);
    expect(textOf(doc, 'title')).toEqual(['新款羊毛围巾']);
    expect(textOf(doc, 'price')).toEqual(['¥199.00']);
    expect(byClass(doc, 'market-price')).toEqual([]);
    expect(textOf(doc, 'recommended-by')).toEqual(['张三 推荐']);
    expect(textOf(doc, 'shop-name')).toEqual(['小红的店']);
    expect(textOf(doc, 'qr-caption')).toEqual(['长按识别二维码']);
    expect(readQrFromSvgElement(qrElement(doc))).toBe(base.qrText);
  });

  it('keeps a hostile title inert: no script element, and the text reads back as typed', () => {
    const title = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';
    const svg = productPosterSvg({ ...base, title, shopName: ']]><script>1</script>', distributorName: '"/><script>' });
    expect(svg).not.toMatch(/<script|<img/i);
    const doc = parseSvg(svg);
    expect(doc.getElementsByTagName('script').length).toBe(0);
    expect(doc.getElementsByTagName('img').length).toBe(0);
    const lines = textOf(doc, 'title');
    expect(lines.length).toBe(2);
    expect(lines.join(' ')).toBe(title);
    expect(textOf(doc, 'shop-name')).toEqual([']]><script>1</script>']);
    expect(textOf(doc, 'recommended-by')).toEqual(['"/><script> 推荐']);
  });

  it('strips control characters that would make the SVG unparsable', () => {
    const doc = parseSvg(productPosterSvg({ ...base, title: '围\u0000巾\u001B', distributorName: '张\uFFFF三' }));
    expect(textOf(doc, 'title')).toEqual(['围巾']);
    expect(textOf(doc, 'recommended-by')).toEqual(['张三 推荐']);
  });

  it('wraps a long title into two lines that fit and ends it with an ellipsis', () => {
    const title = '【官方正品】2024秋冬新款加厚羊毛围巾女士百搭保暖披肩两用超大尺寸礼盒装送妈妈';
    const lines = textOf(parseSvg(productPosterSvg({ ...base, title })), 'title');
    expect(lines.length).toBe(2);
    expect(lines[1]!.endsWith(ELLIPSIS)).toBe(true);
    expect(title.startsWith(lines.join('').slice(0, -1))).toBe(true);
    for (const line of lines) expect(textWidthEm(line!)).toBeLessThanOrEqual(670 / 36);
  });

  it('strikes through the market price only when it is higher than the price', () => {
    const higher = parseSvg(productPosterSvg({ ...base, priceFen: 9990, marketPriceFen: 15900 }));
    expect(textOf(higher, 'price')).toEqual(['¥99.90']);
    const market = byClass(higher, 'market-price');
    expect(market.map((e) => e.textContent)).toEqual(['¥159.00']);
    expect(market[0]!.getAttribute('text-decoration')).toBe('line-through');
    expect(byClass(parseSvg(productPosterSvg({ ...base, marketPriceFen: 19900 })), 'market-price')).toEqual([]);
    expect(byClass(parseSvg(productPosterSvg({ ...base, marketPriceFen: 100 })), 'market-price')).toEqual([]);
  });

  it('speaks English with locale en and takes label overrides, a name with $& included', () => {
    const en = parseSvg(productPosterSvg({ ...base, locale: 'en', distributorName: 'Zhang San' }));
    expect(en.documentElement!.getAttribute('xml:lang')).toBe('en');
    expect(textOf(en, 'recommended-by')).toEqual(['Recommended by Zhang San']);
    expect(textOf(en, 'qr-caption')).toEqual(['Scan to buy']);
    const custom = parseSvg(productPosterSvg({ ...base, distributorName: '$& $1', labels: { recommendedBy: '好友 {name} 为你推荐', scanToBuy: '扫码购买' } }));
    expect(textOf(custom, 'recommended-by')).toEqual(['好友 $& $1 为你推荐']);
    expect(textOf(custom, 'qr-caption')).toEqual(['扫码购买']);
  });

  it('shortens a very long distributor name but keeps the label', () => {
    const [line] = textOf(parseSvg(productPosterSvg({ ...base, distributorName: '超级无敌长名字的推广员'.repeat(3) })), 'recommended-by');
    expect(line).toMatch(new RegExp(`^超级无敌.*${ELLIPSIS} 推荐$`));
  });

  it('scales to another output width keeping the phone aspect ratio', () => {
    const svg = parseSvg(productPosterSvg({ ...base, width: 375 })).documentElement!;
    expect([svg.getAttribute('width'), svg.getAttribute('height'), svg.getAttribute('viewBox')]).toEqual(['375', '667', '0 0 750 1334']);
  });

  it('accepts a base64 data:image URL and escapes the ampersands of an http URL', () => {
    expect(parseSvg(productPosterSvg({ ...base, productImageHref: pixel })).getElementsByTagName('image')[0]!.getAttribute('href')).toBe(pixel);
    const href = 'https://img.tuike.test/p.jpg?w=750&h=750';
    const svg = productPosterSvg({ ...base, productImageHref: href });
    expect(svg).toContain('p.jpg?w=750&amp;h=750');
    expect(parseSvg(svg).getElementsByTagName('image')[0]!.getAttribute('href')).toBe(href);
  });

  it.each(['javascript:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=', 'data:image/svg+xml,<svg onload=alert(1)>', '//img.test/a.jpg', 'ftp://img.test/a.jpg'])(
    'refuses the image href %s',
    (productImageHref) => {
      expect(() => productPosterSvg({ ...base, productImageHref })).toThrow(expect.objectContaining({ code: 'POSTER_INPUT_INVALID' }));
    },
  );

  it('refuses an empty title, a fractional price and an unknown locale', () => {
    expect(() => productPosterSvg({ ...base, title: '  ' })).toThrow(ShareKitInputError);
    expect(() => productPosterSvg({ ...base, priceFen: 19.9 })).toThrow(expect.objectContaining({ code: 'MONEY_INVALID' }));
    expect(() => productPosterSvg({ ...base, locale: 'fr' as never })).toThrow(/locale/);
    expect(() => productPosterSvg({ ...base, qrText: '' })).toThrow(expect.objectContaining({ code: 'QR_TEXT_EMPTY' }));
  });
});

describe('businessCardSvg', () => {
  const card = { distributorName: '李四 <b>', shopName: '小红的店 & 朋友', inviteCode: 'K7Q-29X', qrText: 'https://shop-a.tuike.test/?d=li4', locale: 'zh-CN' } as const;

  it('shows name, shop, invite code and a readable QR code, all escaped', () => {
    const doc = parseSvg(businessCardSvg(card));
    expect(textOf(doc, 'distributor-name')).toEqual(['李四 <b>']);
    expect(doc.getElementsByTagName('b').length).toBe(0);
    expect(textOf(doc, 'shop-name')).toEqual(['小红的店 & 朋友']);
    expect(textOf(doc, 'invite-code')).toEqual(['邀请码 K7Q-29X']);
    expect(textOf(doc, 'qr-caption')).toEqual(['长按识别二维码，进店逛逛']);
    expect(readQrFromSvgElement(qrElement(doc))).toBe(card.qrText);
  });

  it("draws the name's first character when there is no avatar, and a clipped image when there is", () => {
    const initials = parseSvg(businessCardSvg(card));
    expect(textOf(initials, 'avatar-initial')).toEqual(['李']);
    expect(initials.getElementsByTagName('image').length).toBe(0);
    const withAvatar = parseSvg(businessCardSvg({ ...card, avatarHref: pixel, locale: 'en' }));
    const image = withAvatar.getElementsByTagName('image')[0]!;
    expect(image.getAttribute('clip-path')).toBe('url(#tk-avatar-clip)');
    expect(withAvatar.getElementsByTagName('clipPath')[0]!.getAttribute('id')).toBe('tk-avatar-clip');
    expect(textOf(withAvatar, 'invite-code')).toEqual(['Invite code K7Q-29X']);
  });

  it('refuses an avatar href that is not an image URL', () => {
    expect(() => businessCardSvg({ ...card, avatarHref: 'javascript:alert(1)' })).toThrow(ShareKitInputError);
  });
});

describe('shopQrCardSvg', () => {
  it('shows the shop name over a readable QR code', () => {
    const doc = parseSvg(shopQrCardSvg({ shopName: 'Tea & Co <1>', qrText: 'https://tea.tuike.test/', locale: 'en' }));
    expect(textOf(doc, 'shop-name')).toEqual(['Tea & Co <1>']);
    expect(textOf(doc, 'qr-caption')).toEqual(['Scan to visit the shop']);
    expect(readQrFromSvgElement(qrElement(doc))).toBe('https://tea.tuike.test/');
  });
});
