export { ShareKitInputError, type ShareKitErrorCode } from './errors';
export { formatFenAsYuan, formatPrice } from './money';
export { encodePng, crc32, type PngImage, type PngChannels } from './png';
export {
  qrMatrix,
  qrSvg,
  qrPng,
  qrSvgElement,
  qrPathData,
  MAX_QR_TEXT_BYTES,
  DEFAULT_QR_MARGIN,
  type QrMatrix,
  type QrMatrixOptions,
  type QrErrorCorrection,
  type QrDrawOptions,
  type QrSvgOptions,
  type QrPngOptions,
} from './qr';
export {
  productPosterSvg,
  businessCardSvg,
  shopQrCardSvg,
  defaultShareLabels,
  type ProductPosterInput,
  type BusinessCardInput,
  type ShopQrCardInput,
  type ShareLabels,
} from './poster';
export { escapeXml } from './xml-text';
export { wrapText, fitOneLine, textWidthEm, type WrappedText } from './text-layout';
