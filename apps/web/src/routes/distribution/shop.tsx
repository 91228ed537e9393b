import { A } from '@solidjs/router';
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { CursorListView } from '~/components/CursorList';
import { DistributorPage } from '~/components/Distribution';
import { EmptyNote } from '~/components/DistributionParts';
import { Thumb } from '~/components/OrderParts';
import { RadioChips } from '~/components/RadioChips';
import { api, fileUrl, queryString } from '~/lib/api';
import { createCursorList } from '~/lib/cursor-list';
import { createAction } from '~/lib/form';
import { formatFen } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { DistributorMe, ProductPage, ShopScope } from '~/lib/types';

/** My trading unit (D2): its name, logo and banner, and whether it sells everything or a chosen few. */
export default function ShopEditPage() {
  const { t } = useI18n();
  return <DistributorPage title={t('dist.nav.shop')} testid="shop-edit-page">{(me, reload) => <ShopForm me={me()} selected={me().shop.productIds} onSaved={reload} />}</DistributorPage>;
}

function ShopForm(props: { me: DistributorMe; selected: string[]; onSaved: () => Promise<void> }) {
  const { t } = useI18n();
  const [name, setName] = createSignal(props.me.shop.name);
  const [logo, setLogo] = createSignal<string | null>(props.me.shop.logo);
  const [banner, setBanner] = createSignal<string | null>(props.me.shop.banner);
  const [scope, setScope] = createSignal<ShopScope>(props.me.shop.scope);
  const [chosen, setChosen] = createSignal<Set<string>>(new Set(props.selected));
  const [q, setQ] = createSignal('');
  const [query, setQuery] = createSignal('');
  const action = createAction();
  const [saved, setSaved] = createSignal(false);
  const catalog = createCursorList((cursor) => api.get<ProductPage>(`/api/catalog/products${queryString({ q: query(), cursor, limit: 20, sort: 'sales' })}`));
  createEffect(on(query, () => void catalog.reload()));

  const toggle = (id: string) => setChosen((prev) => {
    const next = new Set(prev);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });
  /** Pictures to use for the logo or banner: the covers of the products listed below. */
  const pictures = () => [...new Set(catalog.items().flatMap((p) => (p.cover ? [p.cover] : [])))].slice(0, 12);

  function save(e: SubmitEvent) {
    e.preventDefault();
    setSaved(false);
    if (!name().trim()) return action.setError(t('dist.shopNameRequired'));
    if (scope() === 'selected' && chosen().size === 0) return action.setError(t('dist.chooseProducts'));
    void action.run(async () => {
      await api.put('/api/distribution/shop', { shopName: name().trim(), logo: logo(), banner: banner(), scope: scope(), productIds: scope() === 'selected' ? [...chosen()] : [] });
      setSaved(true);
      await props.onSaved();
    });
  }

  return (
    <form class="form" noValidate onSubmit={save} data-testid="shop-form">
      <section class="card">
        <div class="field">
          <label for="shop-name">{t('dist.shopName')}</label>
          <input id="shop-name" class="input" maxLength={30} value={name()} data-testid="shop-name" onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <PictureChoice label={t('dist.logo')} value={logo()} pictures={pictures()} testid="shop-logo" onChange={setLogo} />
        <PictureChoice label={t('dist.banner')} value={banner()} pictures={pictures()} testid="shop-banner" onChange={setBanner} />
        <p class="hint">{t('dist.pictureHint')}</p>
      </section>
      <section class="card">
        <h2>{t('dist.scope')}</h2>
        <RadioChips name="scope" options={['all', 'selected'] as const} value={scope()} testid="shop-scope" label={(s) => t(`dist.scope.${s}`)} onChange={setScope} />
        <Show when={scope() === 'selected'}>
          <p class="muted small" data-testid="shop-chosen-count">{t('dist.chosenCount', { n: chosen().size })}</p>
          <div class="search-row">
            <input class="input" type="search" maxLength={50} placeholder={t('store.searchPlaceholder')} aria-label={t('store.searchPlaceholder')}
              value={q()} data-testid="shop-product-search" onInput={(e) => setQ(e.currentTarget.value)}
              onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); setQuery(q().trim()); } }} />
            <button type="button" class="button" onClick={() => setQuery(q().trim())}>{t('common.search')}</button>
          </div>
          <CursorListView list={catalog} testid="shop-products" empty={<EmptyNote text={t('dist.noProducts')} testid="shop-products-empty" />}>
            {(p) => (
              <li>
                <label class="pick-row" data-testid="shop-product" data-id={p.id}>
                  <input type="checkbox" checked={chosen().has(p.id)} data-testid="shop-product-check" onChange={() => toggle(p.id)} />
                  <Thumb image={p.cover} size="small" />
                  <span class="line-main">{p.title}</span>
                  <span class="price small">{formatFen(p.priceMin)}</span>
                </label>
              </li>
            )}
          </CursorListView>
        </Show>
      </section>
      <Show when={action.error()}>{(message) => <p class="alert" role="alert" data-testid="form-error">{message()}</p>}</Show>
      <Show when={saved()}><p class="notice" data-testid="shop-saved">{t('common.saved')} <A href={`/d/${props.me.inviteCode}`}>{t('dist.viewShop')}</A></p></Show>
      <button type="submit" class="button primary block" disabled={action.busy()} data-testid="shop-save">{action.busy() ? t('common.saving') : t('common.save')}</button>
    </form>
  );
}

/** One picture (logo or banner) out of the shop's product pictures, or none. */
function PictureChoice(props: { label: string; value: string | null; pictures: string[]; testid: string; onChange: (key: string | null) => void }) {
  const { t } = useI18n();
  const choices = () => (props.value && !props.pictures.includes(props.value) ? [props.value, ...props.pictures] : props.pictures);
  return (
    <fieldset class="plain field" data-testid={props.testid}>
      <legend class="small">{props.label}</legend>
      <div class="picture-choices">
        <button type="button" class="picture-choice none" classList={{ selected: !props.value }} aria-pressed={!props.value} onClick={() => props.onChange(null)}>{t('dist.noPicture')}</button>
        <For each={choices()}>
          {(key) => (
            <button type="button" class="picture-choice" classList={{ selected: props.value === key }} aria-pressed={props.value === key}
              data-testid={`${props.testid}-choice`} onClick={() => props.onChange(key)}>
              <img src={fileUrl(key)} alt="" loading="lazy" />
            </button>
          )}
        </For>
      </div>
    </fieldset>
  );
}
