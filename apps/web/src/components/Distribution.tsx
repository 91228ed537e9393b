import { A } from '@solidjs/router';
import { createSignal, For, Match, Show, Switch, type Accessor, type JSX } from 'solid-js';
import { api } from '~/lib/api';
import { createMemberData, shownError } from '~/lib/buyer';
import { copyText } from '~/lib/clipboard';
import { failedError, readyValue } from '~/lib/client-data';
import { formatFen } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { DistributorMe, Wallet } from '~/lib/types';
import { ShopGate } from './ShopGate';
import { StorePage } from './StorePage';

/**
 * A page of the distributor centre (D10): the shop's frame, a way back to the centre, and the
 * page itself once GET /api/distribution/me answers. A guest goes to log in; a member who is not
 * a distributor is pointed to the centre's front page, where they can apply.
 */
export function DistributorPage(props: { title: string; testid: string; children: (me: Accessor<DistributorMe>, reload: () => Promise<void>) => JSX.Element }) {
  return (
    <ShopGate>
      {(shop) => (
        <StorePage title={shop().name}>
          <DistributorBody {...props} />
        </StorePage>
      )}
    </ShopGate>
  );
}

function DistributorBody(props: { title: string; testid: string; children: (me: Accessor<DistributorMe>, reload: () => Promise<void>) => JSX.Element }) {
  const { t } = useI18n();
  const [me, { reload }] = createMemberData(() => api.get<DistributorMe>('/api/distribution/me'));
  return (
    <section data-testid={props.testid}>
      <p class="small"><A href="/distribution" data-testid="back-to-centre">‹ {t('dist.centre')}</A></p>
      <h1>{props.title}</h1>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={readyValue(me())}>{(value) => props.children(value, reload)}</Match>
        <Match when={failedError(me())?.code === 'NOT_DISTRIBUTOR'}>
          <section class="empty" data-testid="not-distributor">
            <p class="muted">{t('dist.notDistributor')}</p>
            <A class="button primary" href="/distribution">{t('dist.applyNow')}</A>
          </section>
        </Match>
        <Match when={shownError(failedError(me()))}>{(e) => <p class="alert" role="alert">{e().message}</p>}</Match>
      </Switch>
    </section>
  );
}

const WALLET_BUCKETS = ['available', 'pending', 'frozen', 'reserved', 'withdrawn', 'debt'] as const satisfies readonly (keyof Wallet)[];

/** Income by state (D7, D10): withdrawable, pending, frozen, being withdrawn, withdrawn, debt. */
export function WalletCards(props: { wallet: Wallet }) {
  const { t } = useI18n();
  return (
    <dl class="money-cards" data-testid="wallet">
      <For each={WALLET_BUCKETS.filter((b) => b !== 'debt' || props.wallet.debt > 0)}>
        {(bucket) => (
          <div class="money-card" classList={{ lead: bucket === 'available', warn: bucket === 'debt' }}>
            <dt>{t(`dist.wallet.${bucket}`)}</dt>
            <dd data-testid={`wallet-${bucket}`} data-fen={props.wallet[bucket]}>{formatFen(props.wallet[bucket])}</dd>
          </div>
        )}
      </For>
    </dl>
  );
}

/** A value with a 复制 button; where the browser will not copy, the text stays there to select. */
export function CopyField(props: { value: string; label: string; testid: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = createSignal<boolean>();
  return (
    <div class="copy-field">
      <span class="muted small">{props.label}</span>
      <div class="copy-row">
        <input class="input" readOnly value={props.value} aria-label={props.label} data-testid={props.testid} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" class="button compact" data-testid={`${props.testid}-copy`} onClick={() => void copyText(props.value).then(setCopied)}>{t('dist.copy')}</button>
      </div>
      <Show when={copied() !== undefined}>
        <p class="small" classList={{ notice: copied(), alert: !copied() }} role="status">{copied() ? t('dist.copied') : t('dist.copyByHand')}</p>
      </Show>
    </div>
  );
}
