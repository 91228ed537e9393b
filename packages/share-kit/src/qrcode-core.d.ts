// qrcode's encoder core: pure JS (TextEncoder, Uint8Array, dijkstrajs), no canvas, fs or pngjs.
// @types/qrcode describes only the package root, whose Node entry pulls in fs and pngjs.
declare module 'qrcode/lib/core/qrcode.js' {
  import type { QRCode, QRCodeOptions } from 'qrcode';
  export function create(text: string, options?: QRCodeOptions): QRCode;
}
