import { FilterXSS } from 'xss';

/**
 * Product descriptions are merchant HTML shown to every buyer: only formatting tags, images and
 * links survive; scripts, event handlers, styles and javascript: URLs are removed (stored XSS).
 */
const sanitizer = new FilterXSS({
  whiteList: {
    p: [], br: [], strong: [], b: [], em: [], i: [], u: [], s: [], span: [], div: [], blockquote: [],
    h1: [], h2: [], h3: [], h4: [], ul: [], ol: [], li: [], hr: [],
    table: [], thead: [], tbody: [], tr: [], th: [], td: [],
    a: ['href', 'title'],
    img: ['src', 'alt', 'width', 'height'],
  },
  stripIgnoreTag: true,
  stripIgnoreTagBody: ['script', 'style', 'iframe', 'object', 'embed', 'noscript', 'template'],
  onTagAttr(tag, name, value) {
    // Only http(s) and our own file URLs in links and images.
    if ((name === 'href' || name === 'src') && !/^(https?:\/\/|\/)/i.test(value.trim())) return '';
    return undefined;
  },
});

export const sanitizeDescription = (html: string): string => sanitizer.process(html).trim();

/**
 * Reviews and other buyer text: every tag is dropped (script and style with their content); the
 * text is kept as typed, unescaped, because the UI renders it as text, never as HTML.
 */
const textOnly = new FilterXSS({ whiteList: {}, stripIgnoreTag: true, stripIgnoreTagBody: ['script', 'style', 'iframe', 'object', 'embed', 'noscript', 'template'], escapeHtml: (text) => text });

export const plainText = (text: string): string => textOnly.process(text).trim();
