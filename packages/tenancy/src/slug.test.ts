import { describe, expect, it } from 'vitest';
import { AppError } from '@tuike/core';
import { assertSlug, reservedSlugs } from './slug';

const codeOf = (slug: string) => {
  try {
    assertSlug(slug);
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return (e as AppError).code;
  }
};

describe('assertSlug', () => {
  it.each(['abc', 'tea-house', 'shop2026', 'a1b', `a${'b'.repeat(30)}c`])('accepts the DNS label %s unchanged', (slug) => {
    expect(assertSlug(slug)).toBe(slug);
  });

  it.each([
    ['', 'empty'], ['ab', 'two characters'], [`a${'b'.repeat(32)}`, '33 characters'], ['1abc', 'a leading digit'],
    ['-abc', 'a leading hyphen'], ['abc-', 'a trailing hyphen'], ['a--b', 'a double hyphen'], ['ab--', 'a trailing double hyphen'],
    ['Shop', 'an uppercase letter'], ['店铺名', 'CJK characters'], ['café', 'an accented letter'], ['shop.cn', 'a dot'],
    ['my_shop', 'an underscore'], ['my shop', 'a space'], ["a'; drop table tenants;--", 'SQL'], ['abc\n', 'a trailing newline'],
    ['ａｂｃ', 'full-width letters'], ['xn--abc', 'a punycode prefix'],
  ])('refuses %j (%s) with SLUG_INVALID', (slug) => {
    expect(codeOf(slug)).toBe('SLUG_INVALID');
  });

  it.each(['www', 'api', 'admin', 'platform', 'static', 'localhost', 'tuike'])('refuses the reserved name %s with SLUG_RESERVED', (slug) => {
    expect(codeOf(slug)).toBe('SLUG_RESERVED');
  });

  it('reserves only names that are valid slugs (an invalid reserved name could never be chosen anyway)', () => {
    const unreachable = [...reservedSlugs].filter((s) => s.length >= 3 && codeOf(s) !== 'SLUG_RESERVED');
    expect(unreachable).toEqual([]);
  });
});
