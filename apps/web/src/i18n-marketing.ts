/** Strings of the marketing plugins’ storefront widgets and admin pages, zh-CN and en. */
export const marketingZh = {
};

export const marketingEn: Record<keyof typeof marketingZh, string> = {
};
