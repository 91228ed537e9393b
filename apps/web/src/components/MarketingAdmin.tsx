import { A, useLocation } from '@solidjs/router';
import { createSignal, For, Match, Show, Switch, type Accessor, type JSX } from 'solid-js';
import { catalogApi, type Scope } from '~/lib/marketing-admin';
import { createClientData, failedError, readyValue } from '~/lib/client-data';
import { formatFen } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import { specLabel } from '~/lib/catalog';
import type { AdminMe, AdminSku } from '~/lib/types';
import type { MessageKey } from '~/i18n';
import { AdminPage } from './AdminPage';
import { RadioChips } from './RadioChips';

const TABS: { pluginId: string; href: string; label: MessageKey }[] = [
  { pluginId: 'coupons', href: '/admin/plugins/coupons/templates', label: 'padm.tab.coupons' },
  { pluginId: 'flash-sale', href: '/admin/plugins/flash-sale/activities', label: 'padm.tab.flashSale' },
  { pluginId: 'campaigns', href: '/admin/plugins/campaigns/campaigns', label: 'padm.tab.campaigns' },
  { pluginId: 'points', href: '/admin/plugins/points/goods', label: 'padm.tab.points' },
];

/** A marketing plugin's admin page: staff with marketing.view, the marketing tabs on top. */
export function MarketingPage(props: { title: string; pluginId: string; children: (me: Accessor<AdminMe>) => JSX.Element }) {
  const { t } = useI18n();
  const location = useLocation();
  return (
    <AdminPage title={props.title} permission="marketing.view" header={() => (
      <>
        <p class="small"><A href={`/admin/plugins/${props.pluginId}`} data-testid="padm-plugin-link">‹ {t('padm.backToPlugin')}</A></p>
        <nav class="tabs" data-testid="padm-tabs">
          <For each={TABS}>
            {(tab) => (
              <A href={tab.href} classList={{ active: location.pathname.includes(`/admin/plugins/${tab.pluginId}/`) }} data-testid={`padm-tab-${tab.pluginId}`}>
                {t(tab.label)}
              </A>
            )}
          </For>
        </nav>
      </>
    )}>
      {props.children}
    </AdminPage>
  );
}

/** The error beside a field (`{testid}-error`), or its hint. */
export function FieldNote(props: { error?: string; hint?: string; testid: string }) {
  return (
    <Show when={props.error} fallback={<Show when={props.hint}><p class="hint">{props.hint}</p></Show>}>
      <p class="error" role="alert" data-testid={`${props.testid}-error`}>{props.error}</p>
    </Show>
  );
}

/** A labelled text input with its error: the marketing forms' money, counts, names. */
export function TextInput(props: {
  label: string;
  value: string;
  onInput: (v: string) => void;
  testid: string;
  error?: string;
  hint?: string;
  type?: 'text' | 'datetime-local';
  inputmode?: 'decimal' | 'numeric' | 'text';
  maxLength?: number;
}) {
  const id = () => `padm-${props.testid}`;
  return (
    <div class="field" classList={{ invalid: !!props.error }}>
      <label for={id()}>{props.label}</label>
      <input id={id()} class="input" type={props.type ?? 'text'} value={props.value} inputmode={props.inputmode} maxLength={props.maxLength}
        data-testid={props.testid} aria-invalid={props.error ? 'true' : undefined} onInput={(e) => props.onInput(e.currentTarget.value)} />
      <FieldNote error={props.error} hint={props.hint} testid={props.testid} />
    </div>
  );
}

/** Which goods an offer covers: everything, some categories or some products (ticked from the catalog). */
export function ScopePicker(props: { value: Scope; onChange: (s: Scope) => void; error?: string; testid: string }) {
  const { t } = useI18n();
  const type = () => props.value.type;
  const ids = () => (props.value.type === 'all' ? [] : props.value.ids);
  const toggle = (id: string, on: boolean) => {
    if (props.value.type === 'all') return;
    const next = on ? [...ids().filter((x) => x !== id), id] : ids().filter((x) => x !== id);
    props.onChange({ type: props.value.type, ids: next });
  };
  return (
    <div class="chip-group" style={{ margin: "0 0 0.9rem" }} data-testid={props.testid}>
      <p class="small">{t('padm.scope')}</p>
      <RadioChips name={`${props.testid}-type`} options={['all', 'categories', 'products'] as const} value={type()} testid={`${props.testid}-type`}
        label={(o) => t(o === 'all' ? 'padm.scope.all' : o === 'categories' ? 'padm.scope.categories' : 'padm.scope.products')}
        onChange={(o) => props.onChange(o === 'all' ? { type: 'all' } : { type: o, ids: [] })} />
      <Show when={type() === 'categories'}><CategoryChecks ids={ids()} onToggle={toggle} testid={props.testid} /></Show>
      <Show when={type() === 'products'}><ProductChecks ids={ids()} onToggle={toggle} testid={props.testid} /></Show>
      <FieldNote error={props.error} testid={props.testid} />
    </div>
  );
}

function CategoryChecks(props: { ids: string[]; onToggle: (id: string, on: boolean) => void; testid: string }) {
  const { t } = useI18n();
  const [data] = createClientData(() => catalogApi.categories());
  const flat = () => (readyValue(data()) ?? []).flatMap((root) => [{ id: root.id, name: root.name }, ...root.children.map((c) => ({ id: c.id, name: `${root.name} / ${c.name}` }))]);
  return (
    <Switch fallback={<p class="muted small">{t('common.loading')}</p>}>
      <Match when={failedError(data())}>{(e) => <p class="alert small">{e().message}</p>}</Match>
      <Match when={readyValue(data())}>
        <Show when={flat().length > 0} fallback={<p class="muted small">{t('padm.scope.noCategories')}</p>}>
          <For each={flat()}>
            {(c) => (
              <label class="check">
                <input type="checkbox" checked={props.ids.includes(c.id)} data-testid={`${props.testid}-category`} data-id={c.id}
                  onChange={(e) => props.onToggle(c.id, e.currentTarget.checked)} />
                {c.name}
              </label>
            )}
          </For>
        </Show>
      </Match>
    </Switch>
  );
}

function ProductChecks(props: { ids: string[]; onToggle: (id: string, on: boolean) => void; testid: string }) {
  const { t } = useI18n();
  const [q, setQ] = createSignal('');
  const [data, { reload }] = createClientData(() => catalogApi.products(q()));
  return (
    <>
      <div class="search-row">
        <input class="input" value={q()} placeholder={t('padm.product.search')} data-testid={`${props.testid}-search`} onInput={(e) => setQ(e.currentTarget.value)}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void reload(); } }} />
        <button type="button" class="button compact" onClick={() => void reload()}>{t('padm.product.find')}</button>
      </div>
      <Switch fallback={<p class="muted small">{t('common.loading')}</p>}>
        <Match when={failedError(data())}>{(e) => <p class="alert small">{e().message}</p>}</Match>
        <Match when={readyValue(data())}>
          {(items) => (
            <Show when={items().length > 0} fallback={<p class="muted small">{t('padm.product.none')}</p>}>
              <For each={items()}>
                {(p) => (
                  <label class="check">
                    <input type="checkbox" checked={props.ids.includes(p.id)} data-testid={`${props.testid}-product`} data-id={p.id}
                      onChange={(e) => props.onToggle(p.id, e.currentTarget.checked)} />
                    {p.title} <span class="muted small">{formatFen(p.priceMin)}</span>
                  </label>
                )}
              </For>
            </Show>
          )}
        </Match>
      </Switch>
    </>
  );
}

/** A SKU chosen from the catalog, with what the form shows of it. */
export interface PickedSku {
  productId: string;
  skuId: string;
  label: string;
  price: number;
}

/** Product, then its SKU: calls `onPick` with the SKU chosen. */
export function SkuPicker(props: { onPick: (sku: PickedSku) => void; testid: string; exclude?: readonly string[] }) {
  const { t } = useI18n();
  const [products] = createClientData(() => catalogApi.products());
  const [productId, setProductId] = createSignal('');
  const [skus, setSkus] = createSignal<{ title: string; skus: AdminSku[] }>();
  const [error, setError] = createSignal<string>();

  async function chooseProduct(id: string) {
    setProductId(id);
    setSkus(undefined);
    setError(undefined);
    if (!id) return;
    try {
      const detail = await catalogApi.product(id);
      setSkus({ title: detail.product.title, skus: detail.skus });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <div class="card" data-testid={props.testid}>
      <div class="field">
        <label for={`${props.testid}-product`}>{t('padm.sku.product')}</label>
        <select id={`${props.testid}-product`} class="input" value={productId()} data-testid={`${props.testid}-product`} onChange={(e) => void chooseProduct(e.currentTarget.value)}>
          <option value="">{t('padm.sku.chooseProduct')}</option>
          <For each={readyValue(products()) ?? []}>{(p) => <option value={p.id}>{p.title}</option>}</For>
        </select>
      </div>
      <Show when={error()}>{(m) => <p class="alert small">{m()}</p>}</Show>
      <Show when={skus()}>
        {(s) => (
          <ul class="plain-list">
            <For each={s().skus}>
              {(sku) => (
                <li class="row-actions">
                  <span>{specLabel(sku.specs) || t('padm.sku.single')} · {formatFen(sku.price)} · {t('padm.sku.stock', { n: sku.stock })}</span>
                  <button type="button" class="button compact" disabled={props.exclude?.includes(sku.id)} data-testid={`${props.testid}-sku`} data-id={sku.id}
                    onClick={() => props.onPick({ productId: productId(), skuId: sku.id, label: `${s().title}${specLabel(sku.specs) ? ` (${specLabel(sku.specs)})` : ''}`, price: sku.price })}>
                    {t('padm.sku.add')}
                  </button>
                </li>
              )}
            </For>
          </ul>
        )}
      </Show>
    </div>
  );
}

/** Errors of a refused save that belong to no field. */
export function FormRefusal(props: { message?: string; other?: string[]; testid: string }) {
  return (
    <Show when={props.message}>
      <div class="alert" role="alert" data-testid={props.testid}>
        <p class="small">{props.message}</p>
        <Show when={(props.other ?? []).length > 0}><ul class="small"><For each={props.other}>{(m) => <li>{m}</li>}</For></ul></Show>
      </div>
    </Show>
  );
}
