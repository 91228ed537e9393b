import { apiText } from './api';

/**
 * An SVG of the API (a poster, a business card) drawn into a canvas and encoded as PNG, in the
 * browser: phones save and share pictures, not SVG. Its images are inlined by the API as data:
 * URLs, so the canvas stays clean and can be read. `scale` sharpens it for high-density screens.
 */
export async function svgToPng(path: string, scale = 2): Promise<Blob> {
  const svg = await apiText(path);
  const source = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('SVG could not be drawn'));
      image.src = source;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round((image.naturalWidth || 750) * scale);
    canvas.height = Math.round((image.naturalHeight || 1334) * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no canvas');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(source);
  }
}

/** Starts a download of `blob` as `name` (where the browser downloads at all; WeChat shows nothing). */
export function downloadBlob(blob: Blob, name: string): string {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  return url;
}
