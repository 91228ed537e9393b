import { Show, type JSX } from 'solid-js';
import { useI18n } from '~/lib/i18n-context';
import { PageShell } from './PageShell';

interface StatusPageProps {
  title: string;
  text: string;
  testid: string;
  action?: JSX.Element;
}

/** A full page that only says what is wrong (shop not found, suspended, page not found…). */
export function StatusPage(props: StatusPageProps) {
  const { t } = useI18n();
  return (
    <PageShell title={t('app.name')} narrow>
      <section class="status" data-testid={props.testid}>
        <h1>{props.title}</h1>
        <p class="muted">{props.text}</p>
        <Show when={props.action}>{props.action}</Show>
      </section>
    </PageShell>
  );
}

export function LoadingPage() {
  const { t } = useI18n();
  return (
    <PageShell title={t('app.name')} narrow>
      <p class="muted" data-testid="loading">{t('common.loading')}</p>
    </PageShell>
  );
}
