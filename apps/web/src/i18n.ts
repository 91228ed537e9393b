/**
 * Every string the UI shows, in zh-CN (the default) and en. Messages may hold `{name}`
 * placeholders; errors from the API arrive already localized (we send Accept-Language).
 */
export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
export const LANG_COOKIE = 'tk_lang';

const zh = {
  'app.name': '推客',
  'app.tagline': '社交分销电商 SaaS：开一家自己的分销小店，几分钟即可上线。',
  'lang.switch': 'English',
  'common.loading': '加载中…',
  'common.retry': '重试',
  'common.back': '返回',
  'common.submit': '提交',
  'common.logout': '退出登录',
  'common.networkError': '网络连接失败，请稍后重试',
  'common.serverError': '服务器开小差了，请稍后再试',
  'common.notFoundTitle': '页面不存在',
  'common.notFoundText': '你访问的页面不存在或已被移除。',
  'common.home': '返回首页',

  'site.missingTitle': '店铺不存在',
  'site.missingText': '没有找到这家店铺，请检查网址是否正确。',
  'site.suspendedTitle': '店铺已暂停',
  'site.suspendedText': '这家店铺目前已暂停营业。',
  'site.notShopTitle': '这里不是店铺',
  'site.notShopText': '这个地址属于推客平台，不属于任何店铺。',
  'site.errorTitle': '暂时无法打开',

  'landing.title': '推客 · 社交分销电商',
  'landing.signup': '免费开店',
  'landing.login': '商家登录',
  'landing.point1': '多店铺独立数据，一个账号管理',
  'landing.point2': '分销佣金、会员、营销一站式',
  'landing.point3': '手机端优先，随时随地管理店铺',

  'signup.title': '免费开店',
  'signup.email': '邮箱',
  'signup.password': '密码',
  'signup.passwordHint': '至少 8 位，包含字母和数字',
  'signup.shopName': '店铺名称',
  'signup.slug': '店铺地址',
  'signup.slugHint': '店铺网址：{address}',
  'signup.submit': '创建店铺',
  'signup.submitting': '正在创建…',
  'signup.done': '店铺已创建，正在进入店铺后台…',
  'signup.openAdmin': '进入店铺后台',
  'signup.openAdminPath': '用路径地址进入后台',
  'signup.haveAccount': '已有账号？去登录',

  'platformLogin.title': '商家登录',
  'platformLogin.email': '邮箱',
  'platformLogin.password': '密码',
  'platformLogin.submit': '登录',
  'platformLogin.noAccount': '还没有店铺？免费开店',
  'platformLogin.myShops': '我的店铺',
  'platformLogin.signedInAs': '当前账号：{email}',
  'platformLogin.noShops': '你还没有店铺。',
  'platformLogin.storefront': '店铺首页',
  'platformLogin.admin': '店铺后台',
  'platformLogin.pathLinks': '路径地址',

  'shop.status.active': '营业中',
  'shop.status.suspended': '已暂停',
  'shop.status.provisioning': '开通中',
  'plan.free': '免费版',
  'plan.pro': '专业版',

  'store.welcome': '欢迎光临',
  'store.empty': '暂无商品',
  'store.emptyText': '店主正在上架商品，敬请期待。',
  'store.login': '登录',
  'store.register': '注册',
  'store.hello': '你好，{name}',
  'store.adminLink': '商家后台',

  'member.loginTitle': '会员登录',
  'member.registerTitle': '注册会员',
  'member.username': '用户名',
  'member.usernameHint': '3–32 位字母、数字或 _ . -',
  'member.password': '密码',
  'member.passwordHint': '至少 8 位，包含字母和数字',
  'member.loginSubmit': '登录',
  'member.registerSubmit': '注册',
  'member.toRegister': '没有账号？立即注册',
  'member.toLogin': '已有账号？去登录',

  'adminLogin.title': '店铺后台登录',
  'adminLogin.email': '邮箱',
  'adminLogin.password': '密码',
  'adminLogin.submit': '登录',
  'adminLogin.usingTicket': '正在登录…',
  'adminLogin.ticketFailed': '自动登录失败，请用邮箱和密码登录。',

  'admin.nav.home': '首页',
  'admin.nav.audit': '操作日志',
  'admin.nav.storefront': '店铺前台',
  'admin.shop': '店铺',
  'admin.plan': '套餐',
  'admin.status': '状态',
  'admin.me': '当前员工',
  'admin.owner': '店主',
  'admin.roles': '角色',
  'admin.noRoles': '未分配角色',
  'admin.permissions': '权限',
  'admin.noPermissions': '没有任何权限',
  'admin.latestAudit': '最近操作',
  'admin.allAudit': '查看全部',

  'audit.title': '操作日志',
  'audit.entity': '对象',
  'audit.action': '操作',
  'audit.from': '开始日期',
  'audit.to': '结束日期',
  'audit.filter': '筛选',
  'audit.reset': '重置',
  'audit.loadMore': '加载更多',
  'audit.empty': '暂无操作记录',
  'audit.end': '没有更多了',
  'audit.by': '操作人',
  'audit.ip': 'IP',
  'audit.details': '变更内容',
  'audit.before': '变更前',
  'audit.after': '变更后',
  'audit.any': '全部',
  'audit.entity.settings': '店铺设置',
  'audit.entity.role': '角色',
  'audit.entity.staff': '员工',
  'audit.entity.shop': '店铺',
  'audit.action.create': '新建',
  'audit.action.update': '修改',
  'audit.action.delete': '删除',

  'role.super_admin': '超级管理员',
  'role.operations': '运营',
  'role.finance': '财务',
  'role.customer_service': '客服',
};

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  'app.name': 'Tuike',
  'app.tagline': 'Social distribution commerce: open your own shop with resellers in minutes.',
  'lang.switch': '中文',
  'common.loading': 'Loading…',
  'common.retry': 'Retry',
  'common.back': 'Back',
  'common.submit': 'Submit',
  'common.logout': 'Log out',
  'common.networkError': 'Network error, please try again',
  'common.serverError': 'Something went wrong on our side',
  'common.notFoundTitle': 'Page not found',
  'common.notFoundText': 'The page you asked for does not exist.',
  'common.home': 'Go home',

  'site.missingTitle': 'Shop not found',
  'site.missingText': 'There is no shop at this address. Please check the URL.',
  'site.suspendedTitle': 'Shop suspended',
  'site.suspendedText': 'This shop is suspended for now.',
  'site.notShopTitle': 'Not a shop',
  'site.notShopText': 'This address belongs to the Tuike platform, not to a shop.',
  'site.errorTitle': 'Cannot open this page',

  'landing.title': 'Tuike · social distribution commerce',
  'landing.signup': 'Open a shop for free',
  'landing.login': 'Merchant login',
  'landing.point1': 'Every shop has its own data; one account runs them all',
  'landing.point2': 'Commissions, members and marketing in one place',
  'landing.point3': 'Mobile first: run your shop from anywhere',

  'signup.title': 'Open a shop',
  'signup.email': 'Email',
  'signup.password': 'Password',
  'signup.passwordHint': 'At least 8 characters with letters and digits',
  'signup.shopName': 'Shop name',
  'signup.slug': 'Shop address',
  'signup.slugHint': 'Your shop: {address}',
  'signup.submit': 'Create shop',
  'signup.submitting': 'Creating…',
  'signup.done': 'Your shop is ready. Opening its admin…',
  'signup.openAdmin': 'Open shop admin',
  'signup.openAdminPath': 'Open admin by path address',
  'signup.haveAccount': 'Have an account? Log in',

  'platformLogin.title': 'Merchant login',
  'platformLogin.email': 'Email',
  'platformLogin.password': 'Password',
  'platformLogin.submit': 'Log in',
  'platformLogin.noAccount': 'No shop yet? Open one for free',
  'platformLogin.myShops': 'My shops',
  'platformLogin.signedInAs': 'Signed in as {email}',
  'platformLogin.noShops': 'You have no shops yet.',
  'platformLogin.storefront': 'Storefront',
  'platformLogin.admin': 'Admin',
  'platformLogin.pathLinks': 'Path address',

  'shop.status.active': 'Open',
  'shop.status.suspended': 'Suspended',
  'shop.status.provisioning': 'Setting up',
  'plan.free': 'Free',
  'plan.pro': 'Pro',

  'store.welcome': 'Welcome',
  'store.empty': 'No products yet',
  'store.emptyText': 'The owner is adding products. Check back soon.',
  'store.login': 'Log in',
  'store.register': 'Sign up',
  'store.hello': 'Hello, {name}',
  'store.adminLink': 'Merchant admin',

  'member.loginTitle': 'Member login',
  'member.registerTitle': 'Become a member',
  'member.username': 'Username',
  'member.usernameHint': '3–32 letters, digits or _ . -',
  'member.password': 'Password',
  'member.passwordHint': 'At least 8 characters with letters and digits',
  'member.loginSubmit': 'Log in',
  'member.registerSubmit': 'Sign up',
  'member.toRegister': 'No account? Sign up',
  'member.toLogin': 'Have an account? Log in',

  'adminLogin.title': 'Shop admin login',
  'adminLogin.email': 'Email',
  'adminLogin.password': 'Password',
  'adminLogin.submit': 'Log in',
  'adminLogin.usingTicket': 'Signing you in…',
  'adminLogin.ticketFailed': 'Automatic sign-in failed. Please log in with email and password.',

  'admin.nav.home': 'Home',
  'admin.nav.audit': 'Audit log',
  'admin.nav.storefront': 'Storefront',
  'admin.shop': 'Shop',
  'admin.plan': 'Plan',
  'admin.status': 'Status',
  'admin.me': 'Signed in staff',
  'admin.owner': 'Owner',
  'admin.roles': 'Roles',
  'admin.noRoles': 'No roles',
  'admin.permissions': 'Permissions',
  'admin.noPermissions': 'No permissions',
  'admin.latestAudit': 'Latest activity',
  'admin.allAudit': 'See all',

  'audit.title': 'Audit log',
  'audit.entity': 'Object',
  'audit.action': 'Action',
  'audit.from': 'From',
  'audit.to': 'To',
  'audit.filter': 'Filter',
  'audit.reset': 'Reset',
  'audit.loadMore': 'Load more',
  'audit.empty': 'No activity yet',
  'audit.end': 'No more entries',
  'audit.by': 'By',
  'audit.ip': 'IP',
  'audit.details': 'Changes',
  'audit.before': 'Before',
  'audit.after': 'After',
  'audit.any': 'Any',
  'audit.entity.settings': 'Shop settings',
  'audit.entity.role': 'Role',
  'audit.entity.staff': 'Staff',
  'audit.entity.shop': 'Shop',
  'audit.action.create': 'Created',
  'audit.action.update': 'Updated',
  'audit.action.delete': 'Deleted',

  'role.super_admin': 'Super admin',
  'role.operations': 'Operations',
  'role.finance': 'Finance',
  'role.customer_service': 'Customer service',
};

export const dictionaries: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zh, en };

export const isLang = (value: unknown): value is Lang => value === 'zh-CN' || value === 'en';

/** Fills `{name}` placeholders; a missing value leaves the placeholder visible. */
export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const text = dictionaries[lang][key];
  return params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole)) : text;
}

/** A key that may not exist (e.g. `plan.{id}`): the key's text, or the fallback. */
export function translateOptional(lang: Lang, key: string, fallback: string): string {
  return (dictionaries[lang] as Record<string, string>)[key] ?? fallback;
}

/**
 * zh-CN unless the visitor chose English with the switch (tk_lang cookie). The browser's own
 * language is not consulted: the product speaks Chinese first, and every API call carries the
 * page's language as Accept-Language, so API messages always match the page.
 */
export function pickLang(cookieHeader: string | null): Lang {
  const chosen = /(?:^|;\s*)tk_lang=([^;]*)/.exec(cookieHeader ?? '')?.[1];
  const decoded = chosen ? decodeURIComponent(chosen) : undefined;
  return isLang(decoded) ? decoded : 'zh-CN';
}
