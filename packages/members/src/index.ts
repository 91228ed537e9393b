export * from './member-accounts';
export * from './wechat-oauth';
