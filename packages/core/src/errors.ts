/**
 * Every failure a client can see has a stable code, an HTTP status and a message in zh-CN and en.
 * Codes are part of the API contract: clients branch on them, never on the message.
 */
export const errorCatalog = {
  VALIDATION_FAILED: { status: 400, zh: '输入有误，请检查后重试', en: 'The input is not valid' },
  MALFORMED_JSON: { status: 400, zh: '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '请求体必须是 application/json', en: 'The request body must be application/json' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求体过大', en: 'The request body is too large' },
  ORIGIN_MISMATCH: { status: 403, zh: '请求来源不被允许', en: 'The request origin is not allowed' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please log in first' },
  INVALID_CREDENTIALS: { status: 401, zh: '账号或密码错误', en: 'Wrong account or password' },
  INVALID_TICKET: { status: 401, zh: '登录凭证无效或已过期', en: 'The login ticket is invalid or has expired' },
  FORBIDDEN: { status: 403, zh: '没有权限执行此操作', en: 'You do not have permission to do this' },
  RATE_LIMITED: { status: 429, zh: '操作过于频繁，请稍后再试', en: 'Too many attempts, please try again later' },
  NOT_FOUND: { status: 404, zh: '找不到该资源', en: 'Not found' },
  SHOP_NOT_FOUND: { status: 404, zh: '店铺不存在', en: 'This shop does not exist' },
  SHOP_SUSPENDED: { status: 403, zh: '店铺已被暂停', en: 'This shop is suspended' },
  SHOP_PROVISIONING: { status: 503, zh: '店铺正在开通中，请稍后', en: 'This shop is still being set up' },
  NO_SHOP: { status: 404, zh: '此地址不属于任何店铺', en: 'This address does not belong to a shop' },
  SLUG_TAKEN: { status: 409, zh: '该店铺地址已被占用', en: 'This shop address is taken' },
  SLUG_RESERVED: { status: 409, zh: '该店铺地址为系统保留', en: 'This shop address is reserved' },
  SLUG_INVALID: { status: 400, zh: '店铺地址只能包含小写字母、数字和连字符（3–32 位，字母开头）', en: 'A shop address has 3–32 lowercase letters, digits or hyphens and starts with a letter' },
  EMAIL_TAKEN: { status: 409, zh: '该邮箱已注册', en: 'This email is already registered' },
  WEAK_PASSWORD: { status: 400, zh: '密码至少 8 位，且需同时包含字母和数字', en: 'A password needs at least 8 characters with letters and digits' },
  USERNAME_TAKEN: { status: 409, zh: '该用户名已被使用', en: 'This username is taken' },
  ROLE_NAME_TAKEN: { status: 409, zh: '角色名称已存在', en: 'A role with this name exists' },
  ROLE_BUILTIN: { status: 409, zh: '内置角色不可修改或删除', en: 'Built-in roles cannot be changed or deleted' },
  ROLE_IN_USE: { status: 409, zh: '该角色仍有员工在使用', en: 'Staff members still hold this role' },
  UNKNOWN_PERMISSION: { status: 400, zh: '包含未知的权限', en: 'Unknown permission' },
  GRANT_EXCEEDS_OWN: { status: 403, zh: '不能授予或管理超出自己权限的角色', en: 'You cannot grant or manage permissions you do not hold yourself' },
  LAST_SUPER_ADMIN: { status: 409, zh: '店铺至少需要一位可用的超级管理员', en: 'A shop needs at least one active super admin' },
  STAFF_EMAIL_TAKEN: { status: 409, zh: '该邮箱已是员工', en: 'A staff member with this email exists' },
  CATEGORY_DEPTH: { status: 400, zh: '分类最多两级', en: 'Categories have at most two levels' },
  CATEGORY_IN_USE: { status: 409, zh: '该分类下还有子分类或商品', en: 'This category still has subcategories or products' },
  CATEGORY_NAME_TAKEN: { status: 409, zh: '同级已有同名分类', en: 'A category with this name exists at this level' },
  PRODUCT_TYPE_NAME_TAKEN: { status: 409, zh: '商品类型名称已存在', en: 'A product type with this name exists' },
  PRODUCT_TYPE_IN_USE: { status: 409, zh: '该商品类型仍被分类或商品使用', en: 'Categories or products still use this product type' },
  SKU_SPECS_INVALID: { status: 400, zh: '规格组合不正确', en: 'A SKU does not match the product specs' },
  SKU_DUPLICATE: { status: 400, zh: '规格组合重复', en: 'Two SKUs have the same spec combination' },
  STOCK_CONFLICT: { status: 409, zh: '库存已发生变化，请刷新后重试', en: 'Stock changed meanwhile; reload and try again' },
  PRODUCT_NOT_FOUND: { status: 404, zh: '商品不存在或已下架', en: 'This product does not exist or is off the shelf' },
  IMAGE_TOO_LARGE: { status: 413, zh: '图片不能超过 5 MB', en: 'Images are limited to 5 MB' },
  IMAGE_TYPE_UNSUPPORTED: { status: 415, zh: '只支持 JPEG、PNG、WebP、GIF 图片', en: 'Only JPEG, PNG, WebP and GIF images are accepted' },
  IMAGE_EMPTY: { status: 400, zh: '图片内容为空', en: 'The image is empty' },
  IMAGE_NOT_FOUND: { status: 400, zh: '图片不存在，请重新上传', en: 'An image was not found; upload it again' },
  OUT_OF_STOCK: { status: 409, zh: '库存不足', en: 'Not enough stock' },
  PRICE_CHANGED: { status: 409, zh: '价格已变化，请确认新的金额', en: 'The price changed; please confirm the new total' },
  CART_EMPTY: { status: 400, zh: '购物车是空的', en: 'The cart is empty' },
  ADDRESS_REQUIRED: { status: 400, zh: '请选择收货地址', en: 'Choose a delivery address' },
  ORDER_NOT_FOUND: { status: 404, zh: '订单不存在', en: 'Order not found' },
  ORDER_STATE: { status: 409, zh: '订单当前状态不允许此操作', en: 'The order cannot do this in its current state' },
  PAYMENT_SIGNATURE_INVALID: { status: 401, zh: '支付通知签名无效', en: 'The payment notification signature is invalid' },
  PAYMENT_AMOUNT_MISMATCH: { status: 400, zh: '支付金额与订单不符', en: 'The paid amount does not match the order' },
  WECHAT_NOT_CONFIGURED: { status: 409, zh: '店铺尚未配置微信公众号', en: 'This shop has not set up its WeChat account' },
  WECHAT_STATE_INVALID: { status: 400, zh: '微信登录已失效，请重新进入', en: 'The WeChat sign-in expired; please start again' },
  WECHAT_AUTH_FAILED: { status: 400, zh: '微信授权失败，请重试', en: 'WeChat authorization failed; please try again' },
  WECHAT_UNAVAILABLE: { status: 502, zh: '微信服务暂时不可用', en: 'WeChat is not reachable right now' },
  AFTER_SALE_OPEN: { status: 409, zh: '该订单已有处理中的售后申请', en: 'This order already has an after-sales request in progress' },
  AFTER_SALE_NOT_FOUND: { status: 404, zh: '售后申请不存在', en: 'After-sales request not found' },
  REFUND_EXCEEDS: { status: 400, zh: '退款金额超过可退金额', en: 'The refund is more than what can be refunded' },
  PAYMENT_NOT_CONFIGURED: { status: 409, zh: '店铺尚未开通该支付方式', en: 'This shop does not offer that payment method' },
  DISTRIBUTION_DISABLED: { status: 409, zh: '店铺未开启分销', en: 'This shop does not run a distribution programme' },
  DISTRIBUTION_LEVELS_EXCEEDED: { status: 400, zh: '分销最多三级（依据《禁止传销条例》）', en: 'Distribution pays at most three levels (anti-pyramid rules)' },
  COMMISSION_CAP_EXCEEDED: { status: 400, zh: '各级佣金比例之和超过上限', en: 'The commission rates add up to more than the cap' },
  ENTRY_FEE_FORBIDDEN: { status: 400, zh: '成为分销商不得收取任何费用', en: 'Becoming a distributor can never cost a fee' },
  RECRUIT_REWARD_FORBIDDEN: { status: 400, zh: '不得按拉人头发放奖励，佣金只来自真实商品销售', en: 'No reward per recruit: commission comes only from real product sales' },
  DISTRIBUTOR_NOT_ELIGIBLE: { status: 403, zh: '暂不满足成为分销商的条件', en: 'You do not meet the conditions to become a distributor yet' },
  DISTRIBUTOR_EXISTS: { status: 409, zh: '已经提交过申请或已是分销商', en: 'You have already applied or are a distributor' },
  DISTRIBUTOR_NOT_FOUND: { status: 404, zh: '分销商不存在', en: 'Distributor not found' },
  DISTRIBUTOR_STATE: { status: 409, zh: '分销商当前状态不允许此操作', en: 'The distributor cannot do this in its current state' },
  NOT_DISTRIBUTOR: { status: 403, zh: '你还不是分销商', en: 'You are not a distributor' },
  INVITE_CODE_INVALID: { status: 404, zh: '邀请码无效', en: 'This invite code is not valid' },
  BINDING_SELF: { status: 400, zh: '不能绑定自己', en: 'You cannot bind to yourself' },
  GRADE_NAME_TAKEN: { status: 409, zh: '等级名称或级别已存在', en: 'A grade with this name or rank exists' },
  GRADE_IN_USE: { status: 409, zh: '该等级仍有分销商', en: 'Distributors still hold this grade' },
  WITHDRAWAL_BELOW_MINIMUM: { status: 400, zh: '提现金额低于最低额度', en: 'The amount is below the withdrawal minimum' },
  WITHDRAWAL_DAILY_LIMIT: { status: 409, zh: '超过今日提现上限', en: 'This exceeds the daily withdrawal limit' },
  WITHDRAWAL_METHOD_DISABLED: { status: 400, zh: '店铺未开通该提现方式', en: 'This shop does not pay out that way' },
  INSUFFICIENT_BALANCE: { status: 409, zh: '可提现余额不足', en: 'Not enough withdrawable balance' },
  WITHDRAWAL_NOT_FOUND: { status: 404, zh: '提现记录不存在', en: 'Withdrawal not found' },
  WITHDRAWAL_STATE: { status: 409, zh: '提现当前状态不允许此操作', en: 'The withdrawal cannot do this in its current state' },
  PAYOUT_PERIOD_PAID: { status: 409, zh: '该结算周期已发放过佣金', en: 'This settlement period has already been paid out' },
  PAYOUT_UNAVAILABLE: { status: 502, zh: '打款渠道暂时不可用，稍后会自动查询结果', en: 'The payout channel is not reachable; the result will be checked again' },
  // Plugins (G1–G3). The first nine are @tuike/plugin-runtime's pluginErrorCatalog, word for word.
  PLUGIN_MANIFEST_INVALID: { status: 400, zh: '插件清单格式不正确', en: 'The plugin manifest is not valid' },
  PLUGIN_CAPABILITY_UNKNOWN: { status: 400, zh: '插件申请了不存在的权限', en: 'The plugin asks for a capability that does not exist' },
  PLUGIN_CAPABILITY_MISSING: { status: 400, zh: '插件使用了未申请的权限', en: 'The plugin uses a hook its capabilities do not grant' },
  PLUGIN_TABLE_OUTSIDE_PREFIX: { status: 400, zh: '插件只能使用以自身前缀命名的数据表', en: 'A plugin may only use tables named with its own prefix' },
  PLUGIN_SQL_FORBIDDEN: { status: 400, zh: '插件的 SQL 语句不被允许', en: 'The plugin SQL statement is not allowed' },
  PLUGIN_ENGINE_MISMATCH: { status: 409, zh: '插件与当前平台版本不兼容', en: 'The plugin does not support this platform version' },
  PLUGIN_ID_CONFLICT: { status: 409, zh: '插件标识与已安装插件冲突', en: 'The plugin id clashes with an installed plugin' },
  PLUGIN_DB_DENIED: { status: 403, zh: '插件无权访问该数据', en: 'The plugin may not access this data' },
  PLUGIN_CRITICAL_FAILED: { status: 503, zh: '必需的插件暂时不可用，请稍后再试', en: 'A required plugin is not available right now; please try again later' },
  PLUGIN_NOT_FOUND: { status: 404, zh: '插件不存在', en: 'Plugin not found' },
  PLUGIN_ID_TAKEN: { status: 409, zh: '该插件标识已被使用', en: 'This plugin id is taken' },
  PLUGIN_VERSION_NOT_FOUND: { status: 404, zh: '插件版本不存在', en: 'Plugin version not found' },
  PLUGIN_VERSION_EXISTS: { status: 409, zh: '该版本号已存在', en: 'This version already exists' },
  PLUGIN_VERSION_NOT_NEWER: { status: 409, zh: '新版本号必须高于已发布的版本', en: 'A new version must be higher than the published one' },
  PLUGIN_VERSION_STATE: { status: 409, zh: '插件版本当前状态不允许此操作', en: 'The plugin version cannot do this in its current state' },
  PLUGIN_VERSION_NOT_INSTALLABLE: { status: 409, zh: '该插件版本尚未通过审核发布，不能安装', en: 'This plugin version has not been approved and published; it cannot be installed' },
  PLUGIN_NOT_INSTALLED: { status: 409, zh: '店铺尚未安装该插件', en: 'This shop has not installed the plugin' },
  PLUGIN_ALREADY_INSTALLED: { status: 409, zh: '店铺已安装该插件的其他版本', en: 'This shop has another version of the plugin installed' },
  PLUGIN_NO_UPGRADE: { status: 409, zh: '没有可升级的新版本', en: 'There is no newer version to upgrade to' },
  PLUGIN_SETTINGS_INVALID: { status: 400, zh: '插件设置不符合要求', en: 'The plugin settings are not valid' },
  PLUGIN_REFUSED: { status: 409, zh: '该订单未能通过营销规则校验', en: 'A marketing rule of the shop refused this' },
  PLUGIN_UNAVAILABLE: { status: 404, zh: '该插件未启用', en: 'This plugin is not enabled in the shop' },
  PLUGIN_ROUTE_FAILED: { status: 502, zh: '插件暂时无法响应，请稍后再试', en: 'The plugin could not answer; please try again later' },
  PLUGIN_MIGRATION_FAILED: { status: 409, zh: '插件数据迁移失败，店铺数据未做任何更改', en: 'The plugin migration failed; nothing in the shop was changed' },
  INTERNAL: { status: 500, zh: '服务器开小差了，请稍后再试', en: 'Something went wrong on our side' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof errorCatalog;
export type Locale = 'zh-CN' | 'en';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  constructor(code: ErrorCode, details?: unknown) {
    super(errorCatalog[code].en);
    this.name = 'AppError';
    this.code = code;
    this.status = errorCatalog[code].status;
    this.details = details;
  }
}

export function errorBody(code: ErrorCode, locale: Locale, details?: unknown) {
  const entry = errorCatalog[code];
  return { error: { code, message: locale === 'en' ? entry.en : entry.zh, ...(details === undefined ? {} : { details }) } };
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
