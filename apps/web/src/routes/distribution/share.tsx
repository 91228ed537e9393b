import { useSearchParams } from '@solidjs/router';
import { createSignal, For, Match, onCleanup, Show, Switch } from 'solid-js';
import { CopyField, DistributorPage } from '~/components/Distribution';
import { EmptyNote } from '~/components/DistributionParts';
import { api, apiHref, fileUrl } from '~/lib/api';
import { copyText } from '~/lib/clipboard';
import { createClientData, failedError, readyValue, toApiError } from '~/lib/client-data';
import { formatFen } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import { downloadBlob, svgToPng } from '~/lib/svg-png';
import type { DistributorMe, DistributorShop, ShareMaterial } from '~/lib/types';

/** The share kit (D11): shop QR code, business card, product posters, the shop's materials for Moments. */
export default function SharePage() {
  const { t } = useI18n();
  return <DistributorPage title={t('dist.nav.share')} testid="share-page">{(me) => <ShareKit me={me()} />}</DistributorPage>;
}

function ShareKit(props: { me: DistributorMe }) {
  const { t } = useI18n();
  return (
    <>
      <section class="card" data-testid="share-qr">
        <h2>{t('dist.qrTitle')}</h2>
        <img class="share-qr" src={apiHref('/api/distribution/qr')} alt={t('dist.qrTitle')} data-testid="share-qr-image" />
        <p class="actions center-actions">
          <a class="button compact" href={apiHref('/api/distribution/qr?format=png')} download={`qr-${props.me.inviteCode}.png`} data-testid="share-qr-png">{t('dist.savePng')}</a>
        </p>
        <CopyField value={props.me.link} label={t('dist.myLink')} testid="share-link" />
      </section>
      <SvgCard title={t('dist.cardTitle')} path="/api/distribution/card?kind=card" name={`card-${props.me.inviteCode}.png`} testid="share-card" />
      <SvgCard title={t('dist.shopCardTitle')} path="/api/distribution/card?kind=shop" name={`shop-${props.me.inviteCode}.png`} testid="share-shop-card" />
      <Posters code={props.me.inviteCode} />
      <Materials />
    </>
  );
}

/**
 * An SVG picture of the API with 保存图片: drawn into a PNG in the browser, downloaded where the
 * browser can, and shown as a picture to long-press (WeChat and phones save it that way).
 */
function SvgCard(props: { title: string; path: string; name: string; testid: string }) {
  const { t } = useI18n();
  const [png, setPng] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  onCleanup(() => { const url = png(); if (url) URL.revokeObjectURL(url); });

  async function save() {
    if (busy()) return;
    setBusy(true);
    setError(undefined);
    try {
      const blob = await svgToPng(props.path);
      const previous = png();
      setPng(downloadBlob(blob, props.name));
      if (previous) URL.revokeObjectURL(previous);
    } catch (e) {
      setError(toApiError(e).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card" data-testid={props.testid}>
      <h2>{props.title}</h2>
      <Show when={png()} fallback={<img class="share-picture" src={apiHref(props.path)} alt={props.title} data-testid={`${props.testid}-svg`} />}>
        {(url) => (
          <>
            <img class="share-picture" src={url()} alt={props.title} data-testid={`${props.testid}-png`} />
            <p class="notice small">{t('dist.longPress')}</p>
          </>
        )}
      </Show>
      <Show when={error()}>{(message) => <p class="alert" role="alert">{message()}</p>}</Show>
      <p class="actions center-actions">
        <button type="button" class="button compact" disabled={busy()} data-testid={`${props.testid}-save`} onClick={() => void save()}>
          {busy() ? t('dist.rendering') : t('dist.savePng')}
        </button>
      </p>
    </section>
  );
}

/** Product posters carrying my code: choose one of my shop's products. */
function Posters(props: { code: string }) {
  const { t } = useI18n();
  const [params] = useSearchParams<{ product?: string }>();
  const [shop] = createClientData(() => api.get<DistributorShop>(`/api/distribution/shops/${encodeURIComponent(props.code)}`));
  const [chosen, setChosen] = createSignal<string | undefined>(typeof params.product === 'string' ? params.product : undefined);
  const productId = () => {
    const products = readyValue(shop())?.products ?? [];
    const wanted = chosen();
    return products.some((p) => p.id === wanted) ? wanted : products[0]?.id;
  };
  return (
    <section class="card" data-testid="share-posters">
      <h2>{t('dist.posterTitle')}</h2>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(shop())}>{(e) => <p class="alert">{e().message}</p>}</Match>
        <Match when={readyValue(shop())}>
          {(s) => (
            <Show when={s().products.length > 0} fallback={<EmptyNote text={t('dist.noProducts')} testid="poster-no-products" />}>
              <select class="input" value={productId() ?? ''} aria-label={t('dist.posterProduct')} data-testid="poster-product" onChange={(e) => setChosen(e.currentTarget.value)}>
                <For each={s().products}>{(p) => <option value={p.id}>{p.title} · {formatFen(p.price)}</option>}</For>
              </select>
              <Show when={productId()} keyed>
                {(id) => <SvgCard title={t('dist.poster')} path={`/api/distribution/poster/${encodeURIComponent(id)}`} name={`poster-${id}.png`} testid="poster" />}
              </Show>
            </Show>
          )}
        </Match>
      </Switch>
    </section>
  );
}

/** The shop's materials (D11): 一键分享朋友圈 copies the text and lays out the pictures to save. */
function Materials() {
  const { t } = useI18n();
  const [data] = createClientData(() => api.get<{ items: ShareMaterial[] }>('/api/distribution/materials'));
  return (
    <section data-testid="share-materials">
      <h2>{t('dist.materialsTitle')}</h2>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())}>{(e) => <p class="alert">{e().message}</p>}</Match>
        <Match when={readyValue(data())}>
          {(list) => (
            <Show when={list().items.length > 0} fallback={<EmptyNote text={t('dist.materialsEmpty')} testid="materials-empty" />}>
              <ul class="plain-list">
                <For each={list().items}>{(m) => <MaterialCard material={m} />}</For>
              </ul>
            </Show>
          )}
        </Match>
      </Switch>
    </section>
  );
}

function MaterialCard(props: { material: ShareMaterial }) {
  const { t } = useI18n();
  const [shared, setShared] = createSignal<boolean>();
  return (
    <li class="card" data-testid="material" data-kind={props.material.kind}>
      <strong>{props.material.title}</strong>
      <p class="pre-line small" data-testid="material-text">{props.material.text}</p>
      <ul class="image-list" classList={{ nine: props.material.kind === 'nine' }}>
        <For each={props.material.images}>{(key) => <li class="image-item"><img src={fileUrl(key)} alt="" loading="lazy" data-testid="material-image" /></li>}</For>
      </ul>
      <Show when={shared() !== undefined}>
        <p class="small" classList={{ notice: shared(), alert: !shared() }} role="status" data-testid="material-shared">
          {shared() ? t('dist.momentsCopied') : t('dist.momentsByHand')}
        </p>
      </Show>
      <button type="button" class="button primary compact" data-testid="material-share" onClick={() => void copyText(props.material.text).then(setShared)}>
        {t('dist.shareMoments')}
      </button>
    </li>
  );
}
