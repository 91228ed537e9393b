/** Strings of the first-party plugins' admin pages (coupons, flash sale, campaigns, points), zh-CN and en. */
export const pluginAdminZh = {
};

export const pluginAdminEn: Record<keyof typeof pluginAdminZh, string> = {
};
