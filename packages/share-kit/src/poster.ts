/**
 * Share posters, business cards and shop cards as SVG strings.
 *
 * Why SVG and not a PNG made here: a poster is mostly Chinese text. Rasterising it on the server
 * means shipping a CJK font (several megabytes even when subset) inside the Worker, plus a text
 * shaper, on every request path that draws one. The phone already has those fonts, so the server
 * sends this SVG and the storefront draws it onto a canvas and saves that as a PNG. Plain QR code
 * PNGs have no text and are produced server-side (qr.ts, png.ts).
 *
 * A browser draws an SVG loaded as an image in "secure static mode": it fetches nothing external.
 * For the product photo or avatar to appear in the saved PNG, the storefront must pass it as a
 * `data:` URL (an http(s) href is fine for an SVG shown inline in a page).
 *
 * Every piece of caller text is XML-escaped (xml-text.ts); every href is checked to be http(s) or
 * a base64 raster `data:` URL. Layout is in a 750-unit-wide coordinate system (the usual phone
 * design width); `width` only scales the output.
 */
import type { Locale } from '@tuike/core';
import { ShareKitInputError } from './errors';
import { formatPrice } from './money';
import { qrMatrix, qrSvgElement } from './qr';
import { fitOneLine, textClusters, textWidthEm, wrapText } from './text-layout';
import { escapeXml } from './xml-text';

export interface ShareLabels {
  /** Caption under the QR code of a product poster. */
  scanToBuy: string;
  /** `{name}` stands for the distributor's name. */
  recommendedBy: string;
  /** Caption under the QR code of a business card or shop card. */
  scanToVisit: string;
  inviteCode: string;
}

export const defaultShareLabels: Record<Locale, ShareLabels> = {
  'zh-CN': { scanToBuy: '长按识别二维码', recommendedBy: '{name} 推荐', scanToVisit: '长按识别二维码，进店逛逛', inviteCode: '邀请码' },
  en: { scanToBuy: 'Scan to buy', recommendedBy: 'Recommended by {name}', scanToVisit: 'Scan to visit the shop', inviteCode: 'Invite code' },
};

const DESIGN_WIDTH = 750;
const FONT_FAMILY = "-apple-system, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif";
const PRICE_RED = '#e4393c';
const PAD = 40;

interface CommonInput {
  /** Output width in px, default 750; the height follows the layout's aspect ratio. */
  width?: number;
  locale: Locale;
  labels?: Partial<ShareLabels>;
}

export interface ProductPosterInput extends CommonInput {
  /** http(s) URL, or a base64 `data:image/…` URL when the poster will be rasterised. */
  productImageHref: string;
  title: string;
  priceFen: number;
  /** Shown struck through only when higher than `priceFen`. */
  marketPriceFen?: number;
  shopName: string;
  distributorName: string;
  /** The share link the QR code carries. */
  qrText: string;
}

export interface BusinessCardInput extends CommonInput {
  distributorName: string;
  /** Without it the card shows the name's first character in a circle. */
  avatarHref?: string;
  shopName: string;
  inviteCode: string;
  qrText: string;
}

export interface ShopQrCardInput extends CommonInput {
  shopName: string;
  qrText: string;
}

function invalid(message: string): never {
  throw new ShareKitInputError('POSTER_INPUT_INVALID', message);
}

function requiredText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') invalid(`${field} must be a non-empty string`);
  return value;
}

const dataImage = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/;

/** Only images: a `javascript:` or `data:text/html` href must never reach the markup. */
function imageHref(value: unknown, field: string): string {
  if (typeof value !== 'string') invalid(`${field} must be a string`);
  if (dataImage.test(value)) return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    invalid(`${field} must be an absolute http(s) URL or a base64 data:image URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') invalid(`${field} must be an http(s) URL or a base64 data:image URL, got ${url.protocol}`);
  return url.href;
}

function labelsFor(input: CommonInput): ShareLabels {
  const base = defaultShareLabels[input.locale];
  if (!base) invalid(`locale must be one of ${Object.keys(defaultShareLabels).join(', ')}`);
  return { ...base, ...input.labels };
}

function outputWidth(width: number | undefined): number {
  const w = width ?? DESIGN_WIDTH;
  if (!Number.isInteger(w) || w < 150 || w > 4096) invalid(`width must be an integer from 150 to 4096 px, got ${w}`);
  return w;
}

function svgDocument(input: CommonInput, height: number, body: string): string {
  const width = outputWidth(input.width);
  const pixelHeight = Math.round((height * width) / DESIGN_WIDTH);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" xml:lang="${input.locale}" ` +
    `width="${width}" height="${pixelHeight}" viewBox="0 0 ${DESIGN_WIDTH} ${height}" font-family="${escapeXml(FONT_FAMILY)}">` +
    `<rect width="${DESIGN_WIDTH}" height="${height}" fill="#ffffff"/>${body}</svg>`
  );
}

interface TextStyle {
  x: number;
  y: number;
  size: number;
  fill: string;
  role: string;
  bold?: boolean;
  anchor?: 'start' | 'middle';
}

function text(style: TextStyle, content: string): string {
  const weight = style.bold ? ' font-weight="bold"' : '';
  const anchor = style.anchor === 'middle' ? ' text-anchor="middle"' : '';
  return `<text class="${style.role}" x="${style.x}" y="${style.y}" font-size="${style.size}" fill="${style.fill}"${weight}${anchor}>${escapeXml(content)}</text>`;
}

function image(href: string, x: number, y: number, w: number, h: number, clip?: string): string {
  const safe = escapeXml(href);
  const clipAttr = clip ? ` clip-path="url(#${clip})"` : '';
  return `<image x="${x}" y="${y}" width="${w}" height="${h}" preserveAspectRatio="xMidYMid slice" href="${safe}" xlink:href="${safe}"${clipAttr}/>`;
}

/** "{name} 推荐" with the name, not the label, shortened when the line is too long. */
function recommendedByLine(template: string, name: string, maxEm: number): string {
  const parts = template.split('{name}');
  const fixedEm = textWidthEm(parts.join(''));
  return parts.join(fitOneLine(name, Math.max(maxEm - fixedEm, 2)));
}

/** A 2-module quiet zone suffices here: the card around the code is white as well. */
function qrBlock(qrText: string, x: number, y: number, size: number): string {
  return qrSvgElement(qrMatrix(qrText), { x, y, size }, { margin: 2 });
}

const POSTER_HEIGHT = 1334;

/** A phone-sized product share poster: photo, title, price, recommender, QR code. */
export function productPosterSvg(input: ProductPosterInput): string {
  const labels = labelsFor(input);
  const title = requiredText(input.title, 'title');
  const shopName = requiredText(input.shopName, 'shopName');
  const distributor = requiredText(input.distributorName, 'distributorName');
  const href = imageHref(input.productImageHref, 'productImageHref');
  const price = formatPrice(input.priceFen);
  const market = input.marketPriceFen === undefined ? undefined : formatPrice(input.marketPriceFen);
  const showMarket = market !== undefined && input.marketPriceFen! > input.priceFen;

  const imageSide = DESIGN_WIDTH;
  const titleSize = 36;
  const titleLines = wrapText(title, (DESIGN_WIDTH - 2 * PAD) / titleSize, 2).lines;
  const titleMarkup = titleLines.map((line, i) => text({ x: PAD, y: 818 + i * 52, size: titleSize, fill: '#222222', role: 'title' }, line)).join('');

  const marketMarkup = showMarket
    ? `<tspan class="market-price" dx="20" font-size="28" font-weight="normal" fill="#999999" text-decoration="line-through">${escapeXml(market)}</tspan>`
    : '';
  const priceMarkup =
    `<text x="${PAD}" y="966" fill="${PRICE_RED}" font-weight="bold">` +
    `<tspan class="price" font-size="56">${escapeXml(price)}</tspan>${marketMarkup}</text>`;

  const qrSize = 230;
  const qrX = DESIGN_WIDTH - PAD - qrSize;
  const qrY = 1036;
  const leftEm = (qrX - PAD - 30) / 30;

  return svgDocument(
    input,
    POSTER_HEIGHT,
    `<rect width="${imageSide}" height="${imageSide}" fill="#f2f2f2"/>` +
      image(href, 0, 0, imageSide, imageSide) +
      titleMarkup +
      priceMarkup +
      `<line x1="${PAD}" y1="1006" x2="${DESIGN_WIDTH - PAD}" y2="1006" stroke="#e5e5e5" stroke-width="2" stroke-dasharray="8 6"/>` +
      text({ x: PAD, y: 1110, size: 30, fill: '#333333', role: 'recommended-by', bold: true }, recommendedByLine(labels.recommendedBy, distributor, leftEm)) +
      text({ x: PAD, y: 1160, size: 26, fill: '#666666', role: 'shop-name' }, fitOneLine(shopName, (qrX - PAD - 30) / 26)) +
      qrBlock(input.qrText, qrX, qrY, qrSize) +
      text({ x: qrX + qrSize / 2, y: 1300, size: 22, fill: '#999999', role: 'qr-caption', anchor: 'middle' }, fitOneLine(labels.scanToBuy, qrSize / 22)),
  );
}

const CARD_HEIGHT = 980;

/** A distributor's card: avatar, name, shop, invite code and a QR code to their shop link. */
export function businessCardSvg(input: BusinessCardInput): string {
  const labels = labelsFor(input);
  const name = requiredText(input.distributorName, 'distributorName');
  const shopName = requiredText(input.shopName, 'shopName');
  const inviteCode = requiredText(input.inviteCode, 'inviteCode');
  const cx = DESIGN_WIDTH / 2;
  const cy = 220;
  const r = 90;
  const avatar =
    input.avatarHref === undefined
      ? `<circle cx="${cx}" cy="${cy}" r="${r}" fill="#fff1f0"/>` +
        text({ x: cx, y: cy + 28, size: 80, fill: PRICE_RED, role: 'avatar-initial', anchor: 'middle' }, textClusters(name.trim())[0] ?? '')
      : `<clipPath id="tk-avatar-clip"><circle cx="${cx}" cy="${cy}" r="${r}"/></clipPath>` +
        image(imageHref(input.avatarHref, 'avatarHref'), cx - r, cy - r, 2 * r, 2 * r, 'tk-avatar-clip');
  const qrSize = 300;
  const maxPx = DESIGN_WIDTH - 2 * PAD;
  return svgDocument(
    input,
    CARD_HEIGHT,
    `<rect width="${DESIGN_WIDTH}" height="240" fill="${PRICE_RED}"/>` +
      `<circle cx="${cx}" cy="${cy}" r="${r + 8}" fill="#ffffff"/>` +
      avatar +
      text({ x: cx, y: 380, size: 40, fill: '#222222', role: 'distributor-name', bold: true, anchor: 'middle' }, fitOneLine(name, maxPx / 40)) +
      text({ x: cx, y: 432, size: 28, fill: '#666666', role: 'shop-name', anchor: 'middle' }, fitOneLine(shopName, maxPx / 28)) +
      text({ x: cx, y: 500, size: 30, fill: '#333333', role: 'invite-code', anchor: 'middle' }, fitOneLine(`${labels.inviteCode} ${inviteCode}`, maxPx / 30)) +
      qrBlock(input.qrText, cx - qrSize / 2, 548, qrSize) +
      text({ x: cx, y: 900, size: 24, fill: '#999999', role: 'qr-caption', anchor: 'middle' }, fitOneLine(labels.scanToVisit, maxPx / 24)),
  );
}

const SHOP_CARD_HEIGHT = 700;

/** The shop's own QR card for its front desk, packaging or chat groups. */
export function shopQrCardSvg(input: ShopQrCardInput): string {
  const labels = labelsFor(input);
  const shopName = requiredText(input.shopName, 'shopName');
  const cx = DESIGN_WIDTH / 2;
  const qrSize = 400;
  const maxPx = DESIGN_WIDTH - 2 * PAD;
  return svgDocument(
    input,
    SHOP_CARD_HEIGHT,
    text({ x: cx, y: 110, size: 40, fill: '#222222', role: 'shop-name', bold: true, anchor: 'middle' }, fitOneLine(shopName, maxPx / 40)) +
      qrBlock(input.qrText, cx - qrSize / 2, 160, qrSize) +
      text({ x: cx, y: 630, size: 26, fill: '#999999', role: 'qr-caption', anchor: 'middle' }, fitOneLine(labels.scanToVisit, maxPx / 26)),
  );
}
