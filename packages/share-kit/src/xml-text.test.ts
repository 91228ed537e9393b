import { describe, expect, it } from 'vitest';
import { escapeXml, stripNonXmlChars } from './xml-text';

describe('escapeXml', () => {
  it('escapes the five markup characters', () => {
    expect(escapeXml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&apos;y&apos;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('leaves CJK, emoji and ordinary whitespace as they are', () => {
    expect(escapeXml('好物\t推荐\n👍🏽')).toBe('好物\t推荐\n👍🏽');
  });

  it('drops characters XML 1.0 cannot carry: C0 controls, lone surrogates, U+FFFE/U+FFFF', () => {
    expect(stripNonXmlChars('a\u0000b\u0008c\u000Bd\u001Fe\uFFFFf\uD800g\uDC00h')).toBe('abcdefgh');
  });
});
