import { describe, expect, it } from 'vitest';
import { relativeExpiry } from './shop-time';

describe('relative validity counts the claim day as day 1, in the shop\'s time zone', () => {
  it('claimed 15:00 on Jan 1 in Shanghai, 7 days: expires at local midnight starting Jan 8', () => {
    const claimed = Date.UTC(2026, 0, 1, 7, 0); // 15:00 +08:00
    expect(relativeExpiry(claimed, 7, 'Asia/Shanghai')).toBe(Date.UTC(2026, 0, 7, 16, 0)); // 2026-01-08 00:00 +08:00
  });

  it('uses the shop\'s day, not UTC\'s: 01:00 on Jan 2 in Shanghai is still Jan 1 in UTC', () => {
    const claimed = Date.UTC(2026, 0, 1, 17, 0); // 2026-01-02 01:00 +08:00
    expect(relativeExpiry(claimed, 1, 'Asia/Shanghai')).toBe(Date.UTC(2026, 0, 2, 16, 0)); // end of Jan 2 local
    expect(relativeExpiry(claimed, 1, 'UTC')).toBe(Date.UTC(2026, 0, 2)); // end of Jan 1 UTC
  });

  it('keeps local midnight across a DST change', () => {
    const claimed = Date.UTC(2026, 2, 7, 20, 0); // 2026-03-07 15:00 EST
    // DST starts 2026-03-08 in New York; midnight of Mar 9 is EDT (-04:00).
    expect(relativeExpiry(claimed, 2, 'America/New_York')).toBe(Date.UTC(2026, 2, 9, 4, 0));
  });
});
