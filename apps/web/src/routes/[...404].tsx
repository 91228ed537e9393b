import { A } from '@solidjs/router';
import { HttpStatusCode } from '@solidjs/start';
import { StatusPage } from '~/components/StatusPage';
import { useI18n } from '~/lib/i18n-context';

export default function NotFound() {
  const { t } = useI18n();
  return (
    <>
      <HttpStatusCode code={404} />
      <StatusPage
        testid="page-not-found"
        title={t('common.notFoundTitle')}
        text={t('common.notFoundText')}
        action={<A class="button" href="/">{t('common.home')}</A>}
      />
    </>
  );
}
