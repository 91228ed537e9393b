/**
 * Line breaking for poster text without a font. The server cannot measure glyphs (it has no CJK
 * font, see poster.ts), so widths are estimated in em: CJK, kana, hangul, full-width forms and
 * emoji are one em; everything else counts as a bit over half an em. The estimate leans wide so a
 * line of capitals or digits overflows rarely; a line that ends a little short is the lesser harm.
 */

const wide =
  /[\u1100-\u115F\u2600-\u27BF\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F000}-\u{1FAFF}\u{20000}-\u{3FFFD}]/u;
/** Code points that belong to the character before them: a split there would break a glyph. */
const joinsPrevious = /^[\p{M}\u200D\uFE00-\uFE0F\u{1F3FB}-\u{1F3FF}\u{E0020}-\u{E007F}\u{E0100}-\u{E01EF}]$/u;
const regionalIndicator = /^[\u{1F1E6}-\u{1F1FF}]$/u;

export const NARROW_EM = 0.55;
export const ELLIPSIS = '…';
/** The ellipsis is drawn from the CJK font on phones, where it is full width. */
const ELLIPSIS_EM = 1;

/** Splits text into user-perceived characters closely enough never to cut an emoji or accent. */
export function textClusters(text: string): string[] {
  const clusters: string[] = [];
  let afterJoiner = false;
  for (const cp of text) {
    const last = clusters.length - 1;
    const pairsFlag = regionalIndicator.test(cp) && last >= 0 && regionalIndicator.test(clusters[last]!) && [...clusters[last]!].length === 1;
    if (last >= 0 && (afterJoiner || joinsPrevious.test(cp) || pairsFlag)) clusters[last] += cp;
    else clusters.push(cp);
    afterJoiner = cp === '\u200D';
  }
  return clusters;
}

function clusterEm(cluster: string): number {
  return wide.test(cluster) ? 1 : NARROW_EM;
}

export function textWidthEm(text: string): number {
  return textClusters(text).reduce((sum, c) => sum + clusterEm(c), 0);
}

/** Closing punctuation must not start a line, opening brackets must not end one (kinsoku). */
const noLineStart = /^[，。、！？；：）」』】》〉…,.!?;:)\]}%]/u;
const noLineEnd = /^[（「『【《〈(\[{]/u;

/**
 * A line may end before `k` at a space or after a hyphen or slash, or next to a CJK character;
 * latin words, numbers and the punctuation stuck to them stay together.
 */
function canBreakBefore(clusters: string[], k: number): boolean {
  const before = clusters[k - 1]!;
  const at = clusters[k]!;
  if (noLineStart.test(at) || noLineEnd.test(before)) return false;
  if (at === ' ' || before === ' ' || before === '-' || before === '/') return true;
  return wide.test(before) || wide.test(at);
}

export interface WrappedText {
  lines: string[];
  /** True when text was left out and the last line ends with an ellipsis. */
  truncated: boolean;
}

/**
 * Breaks `text` into at most `maxLines` lines no wider than `maxWidthEm`. Whitespace runs
 * (newlines included) collapse to one space. CJK may break anywhere; latin words move whole to
 * the next line unless a word alone is longer than a line. What does not fit ends in `…`.
 */
export function wrapText(text: string, maxWidthEm: number, maxLines: number): WrappedText {
  const clusters = textClusters(text.replace(/\s+/gu, ' ').trim());
  const n = clusters.length;
  const lines: string[] = [];
  let i = 0;
  while (i < n && lines.length < maxLines) {
    while (clusters[i] === ' ') i++;
    const lastAllowed = lines.length === maxLines - 1;
    let width = 0;
    let j = i;
    while (j < n && width + clusterEm(clusters[j]!) <= maxWidthEm) width += clusterEm(clusters[j++]!);
    if (j === n) {
      lines.push(clusters.slice(i, n).join(''));
      i = n;
      break;
    }
    if (lastAllowed) {
      while (j > i && width + ELLIPSIS_EM > maxWidthEm) width -= clusterEm(clusters[--j]!);
      lines.push(clusters.slice(i, j).join('').trimEnd() + ELLIPSIS);
      return { lines, truncated: true };
    }
    if (j === i) j = i + 1; // one character wider than the line: it still has to go somewhere
    let k = j;
    while (k > i && !canBreakBefore(clusters, k)) k--;
    if (k > i) j = k;
    lines.push(clusters.slice(i, j).join('').trimEnd());
    i = j;
  }
  return { lines, truncated: false };
}

/** One line, cut with an ellipsis when too wide: names, shop names, captions. */
export function fitOneLine(text: string, maxWidthEm: number): string {
  return wrapText(text, maxWidthEm, 1).lines[0] ?? '';
}
