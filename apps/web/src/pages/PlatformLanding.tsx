import { A } from '@solidjs/router';
import { For } from 'solid-js';
import { PageShell } from '~/components/PageShell';
import { useI18n } from '~/lib/i18n-context';

/** The platform host's home: what Tuike is, and the way in. */
export function PlatformLanding() {
  const { t } = useI18n();
  return (
    <PageShell title={t('app.name')}>
      <section class="hero" data-testid="landing">
        <h1>{t('landing.title')}</h1>
        <p class="muted">{t('app.tagline')}</p>
        <div class="actions">
          <A class="button primary" href="/platform/signup" data-testid="landing-signup">{t('landing.signup')}</A>
          <A class="button" href="/platform/login" data-testid="landing-login">{t('landing.login')}</A>
        </div>
      </section>
      <ul class="points">
        <For each={['landing.point1', 'landing.point2', 'landing.point3'] as const}>{(key) => <li>{t(key)}</li>}</For>
      </ul>
    </PageShell>
  );
}
