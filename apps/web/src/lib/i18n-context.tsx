import { createContext, createSignal, useContext, type ParentProps } from 'solid-js';
import { getRequestEvent, isServer } from 'solid-js/web';
import { isLang, LANG_COOKIE, pickLang, translate, translateOptional, type Lang, type MessageKey } from '~/i18n';

/**
 * The page language. The server picks it from the request's tk_lang cookie and
 * writes it into <html lang>; the browser starts from that, so hydration sees the same text.
 */
function initialLang(): Lang {
  if (isServer) {
    return pickLang(getRequestEvent()?.request.headers.get('cookie') ?? null);
  }
  const lang = document.documentElement.lang;
  return isLang(lang) ? lang : 'zh-CN';
}

function createI18n() {
  const [lang, setLangSignal] = createSignal<Lang>(initialLang());
  return {
    lang,
    t: (key: MessageKey, params?: Record<string, string | number>) => translate(lang(), key, params),
    /** For keys built from data (`plan.pro`): the text, or the raw value when unknown. */
    tOr: (key: string, fallback: string) => translateOptional(lang(), key, fallback),
    setLang(next: Lang) {
      document.cookie = `${LANG_COOKIE}=${encodeURIComponent(next)}; Path=/; Max-Age=31536000; SameSite=Lax`;
      document.documentElement.lang = next;
      setLangSignal(next);
    },
  };
}

export type I18n = ReturnType<typeof createI18n>;

const I18nContext = createContext<I18n>();

export function I18nProvider(props: ParentProps) {
  return <I18nContext.Provider value={createI18n()}>{props.children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside <I18nProvider>');
  return i18n;
}
