import { useI18n } from '~/lib/i18n-context';

/** Toggles zh-CN ⇄ en; the choice is kept in the tk_lang cookie, which the API reads too. */
export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <button
      type="button"
      class="lang-switch"
      data-testid="lang-switch"
      lang={lang() === 'en' ? 'zh-CN' : 'en'}
      onClick={() => setLang(lang() === 'en' ? 'zh-CN' : 'en')}
    >
      {t('lang.switch')}
    </button>
  );
}
