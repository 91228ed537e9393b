/** Strings of the platform console (plugin authors and reviewers), zh-CN and en. */
export const consoleZh = {
};

export const consoleEn: Record<keyof typeof consoleZh, string> = {
};
