import { describe, expect, it } from 'vitest';
import { ELLIPSIS, NARROW_EM, fitOneLine, textClusters, textWidthEm, wrapText } from './text-layout';

describe('textWidthEm', () => {
  it('counts CJK, full-width forms and emoji as one em and latin as about half', () => {
    expect(textWidthEm('好物推荐')).toBe(4);
    expect(textWidthEm('ＡＢ')).toBe(2);
    expect(textWidthEm('abcd')).toBeCloseTo(4 * NARROW_EM);
    expect(textWidthEm('iPhone 15 手机壳')).toBeCloseTo(10 * NARROW_EM + 3);
    expect(textWidthEm('🎁')).toBe(1);
  });
});

describe('textClusters', () => {
  it('keeps emoji with modifiers, ZWJ sequences, flags and combining accents whole', () => {
    expect(textClusters('👍🏽👨‍👩‍👧🇨🇳e\u0301a')).toEqual(['👍🏽', '👨‍👩‍👧', '🇨🇳', 'e\u0301', 'a']);
  });
});

describe('wrapText', () => {
  it('returns short text as one line, whitespace runs and newlines collapsed', () => {
    expect(wrapText('  好物\n\n推荐   a  b ', 20, 2)).toEqual({ lines: ['好物 推荐 a b'], truncated: false });
  });

  it('breaks CJK anywhere and ends the last allowed line with an ellipsis that fits', () => {
    const result = wrapText('一二三四五六七八九十甲乙丙丁戊己庚辛', 8, 2);
    expect(result).toEqual({ lines: ['一二三四五六七八', `九十甲乙丙丁戊${ELLIPSIS}`], truncated: true });
    for (const line of result.lines) expect(textWidthEm(line)).toBeLessThanOrEqual(8);
  });

  it('moves a latin word to the next line whole instead of splitting it', () => {
    // 'hello world' is 11 × 0.55 = 6.05 em: one em too wide for 6
    expect(wrapText('hello world again', 6, 3).lines).toEqual(['hello', 'world', 'again']);
  });

  it('cuts a latin word only when it is longer than a whole line', () => {
    const { lines } = wrapText('abcdefghijklmnopqrstuvwxyz', 5.5, 3);
    expect(lines[0]).toBe('abcdefghij');
    expect(lines[1]).toBe('klmnopqrst');
    expect(lines[2]).toBe('uvwxyz');
  });

  it('breaks between CJK and a latin word rather than inside the word', () => {
    expect(wrapText('新款iPhone手机壳', 6, 2).lines).toEqual(['新款iPhone', '手机壳']);
    expect(wrapText('新款iPhone手机壳', 4, 2).lines).toEqual(['新款', `iPhon${ELLIPSIS}`]);
  });

  it('never splits an emoji when it truncates', () => {
    const { lines, truncated } = wrapText('👨‍👩‍👧'.repeat(10), 4, 1);
    expect(truncated).toBe(true);
    expect(lines).toEqual([`${'👨‍👩‍👧'.repeat(3)}${ELLIPSIS}`]);
  });
});

describe('fitOneLine', () => {
  it('keeps text that fits and shortens text that does not', () => {
    expect(fitOneLine('张三', 4)).toBe('张三');
    expect(fitOneLine('欧阳娜娜的小店铺', 4)).toBe(`欧阳娜${ELLIPSIS}`);
  });
});

describe('wrapText line-break rules', () => {
  it('keeps latin punctuation with its word and breaks at spaces', () => {
    expect(wrapText('<script>alert(1)</script> & <img src=x>', 14, 3).lines).toEqual(['<script>alert(1)</script>', '& <img src=x>']);
  });

  it('does not start a line with closing punctuation or end one with an opening bracket', () => {
    expect(wrapText('好物推荐，快来', 4, 2).lines).toEqual(['好物推', '荐，快来']);
    expect(wrapText('好物【正品】', 3, 3).lines).toEqual(['好物', '【正', '品】']);
  });
});
