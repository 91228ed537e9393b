/**
 * Everything a merchant, distributor or buyer typed ends up inside SVG markup, so every piece of
 * it goes through here. Characters XML 1.0 forbids (C0 controls other than tab/newline/CR,
 * lone surrogates, U+FFFE/U+FFFF) are dropped first: one of them would make the whole poster
 * unparsable, and escaping cannot express them.
 */
const notXmlChar = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function stripNonXmlChars(text: string): string {
  return text.replace(notXmlChar, '');
}

/** Safe both as element text and inside a double- or single-quoted attribute value. */
export function escapeXml(text: string): string {
  return stripNonXmlChars(text).replace(/[&<>"']/g, (c) => entities[c] ?? c);
}
