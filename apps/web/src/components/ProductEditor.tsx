import { A, useNavigate } from '@solidjs/router';
import { createMemo, createSignal, For, Index, Match, Show, Switch } from 'solid-js';
import { createStore, type SetStoreFunction } from 'solid-js/store';
import { api, type ApiError } from '~/lib/api';
import { combinations, joinValues, parseValues, specKeyOf, specLabel, typeOfCategory } from '~/lib/catalog';
import { createClientData, failedError, readyValue, toApiError } from '~/lib/client-data';
import { fenToYuanText, parseCount, parseYuan } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type {
  AdminProductDetail, CategoryRoot, NamedValues, ProductSaveInput, ProductType, ShelfStatus,
} from '~/lib/types';
import { CategorySelect, NamedValuesEditor, type NamedValuesRow } from './CatalogAdmin';
import { FormAlert } from './Field';
import { ImageListEditor } from './ImageListEditor';

const MAX_IMAGES = 9;
const MAX_SKUS = 500;

interface SkuDraft {
  enabled: boolean;
  price: string;
  marketPrice: string;
  stock: string;
  /** The stock this editor loaded: the server applies only the merchant's change to it. */
  baseStock?: number;
}

/** What the form holds: text as typed (prices in yuan), turned into the API's shape on save. */
interface Draft {
  title: string;
  subtitle: string;
  categoryId: string;
  images: string[];
  attributes: { name: string; value: string }[];
  specs: NamedValuesRow[];
  /** By spec key; a combination not listed here is a new row, on by default. */
  skus: Record<string, SkuDraft>;
  marketPrice: string;
  descriptionHtml: string;
  lowStockThreshold: string;
  autoOffShelf: boolean;
  status: ShelfStatus;
}

const NEW_ROW: SkuDraft = { enabled: true, price: '', marketPrice: '', stock: '' };

function emptyDraft(): Draft {
  return {
    title: '', subtitle: '', categoryId: '', images: [], attributes: [], specs: [{ name: '', values: '' }], skus: {},
    marketPrice: '', descriptionHtml: '', lowStockThreshold: '0', autoOffShelf: false, status: 'off',
  };
}

/** The saved product as a draft; combinations it does not sell are rows switched off. */
function draftOf(detail: AdminProductDetail, type: ProductType | undefined): Draft {
  const { product } = detail;
  const skus: Record<string, SkuDraft> = {};
  for (const combination of combinations(product.specs)) skus[specKeyOf(product.specs, combination)] = { ...NEW_ROW, enabled: false };
  for (const sku of detail.skus) {
    skus[specKeyOf(product.specs, sku.specs)] = {
      enabled: true, price: fenToYuanText(sku.price), marketPrice: fenToYuanText(sku.marketPrice), stock: String(sku.stock), baseStock: sku.stock,
    };
  }
  const saved = Object.entries(product.attributes).map(([name, value]) => ({ name, value }));
  const attributes = type ? type.attributes.map((a) => ({ name: a.name, value: product.attributes[a.name] ?? '' })) : saved;
  return {
    title: product.title, subtitle: product.subtitle, categoryId: product.categoryId, images: [...product.images], attributes,
    specs: product.specs.length > 0 ? product.specs.map((s) => ({ name: s.name, values: joinValues(s.values) })) : [{ name: '', values: '' }],
    skus, marketPrice: fenToYuanText(product.marketPrice), descriptionHtml: product.descriptionHtml,
    lowStockThreshold: String(product.lowStockThreshold), autoOffShelf: product.autoOffShelf, status: product.status,
  };
}

interface EditorData {
  tree: CategoryRoot[];
  types: ProductType[];
  detail: AdminProductDetail | null;
}

/** B1/B2: the product form, for a new product (no productId) or an existing one. */
export function ProductEditor(props: { productId?: string; canManage: boolean; justCreated?: boolean }) {
  const { t } = useI18n();
  const [data] = createClientData<EditorData>(async () => {
    const [tree, types, detail] = await Promise.all([
      api.get<{ categories: CategoryRoot[] }>('/api/admin/categories').then((r) => r.categories),
      api.get<{ types: ProductType[] }>('/api/admin/product-types').then((r) => r.types),
      props.productId ? api.get<AdminProductDetail>(`/api/admin/products/${encodeURIComponent(props.productId)}`) : Promise.resolve(null),
    ]);
    return { tree, types, detail };
  });
  return (
    <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
      <Match when={failedError(data())}>
        {(error) => (
          <section class="card" data-testid="product-load-error">
            <p class="alert">{error().message}</p>
            <A href="/admin/products">{t('product.backToList')}</A>
          </section>
        )}
      </Match>
      <Match when={readyValue(data())}>
        {(loaded) => <ProductForm {...loaded()} canManage={props.canManage} justCreated={props.justCreated} />}
      </Match>
    </Switch>
  );
}

type Errors = Record<string, string>;

function ProductForm(props: EditorData & { canManage: boolean; justCreated?: boolean }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const initialType = props.detail ? typeOfCategory(props.tree, props.types, props.detail.product.categoryId) : undefined;
  const [draft, setDraft] = createStore<Draft>(props.detail ? draftOf(props.detail, initialType) : emptyDraft());
  const [productId, setProductId] = createSignal(props.detail?.product.id);
  const [errors, setErrors] = createSignal<Errors>({});
  const [notice, setNotice] = createSignal<string | undefined>(props.justCreated ? t('common.saved') : undefined);
  const [busy, setBusy] = createSignal(false);
  const [uploading, setUploading] = createSignal(false);
  const [bulk, setBulk] = createStore({ price: '', marketPrice: '', stock: '' });

  const currentType = createMemo(() => (draft.categoryId ? typeOfCategory(props.tree, props.types, draft.categoryId) : undefined));

  /** Specs with a name and at least one value, as the API takes them. */
  const specs = createMemo<NamedValues[]>(() =>
    draft.specs.map((r) => ({ name: r.name.trim(), values: parseValues(r.values) })).filter((s) => s.name !== '' && s.values.length > 0));
  const specNamesClash = createMemo(() => new Set(specs().map((s) => s.name)).size !== specs().length);
  /** One row per combination of the specs' values (a single row without specs). */
  const matrix = createMemo(() => {
    const list = specs();
    if (specNamesClash()) return [];
    const all = combinations(list);
    return all.length > MAX_SKUS ? [] : all.map((choice) => ({ key: specKeyOf(list, choice), specs: choice }));
  });
  const matrixSize = createMemo(() => specs().reduce((n, s) => n * s.values.length, 1));
  const rowOf = (key: string): SkuDraft => draft.skus[key] ?? NEW_ROW;
  const setRow = (key: string, patch: Partial<SkuDraft>) =>
    setDraft('skus', (prev) => ({ ...prev, [key]: { ...(prev[key] ?? NEW_ROW), ...patch } }));
  const enabledRows = () => matrix().filter((r) => rowOf(r.key).enabled);

  const fieldError = (key: string) => errors()[key];
  const clearError = (key: string) => {
    if (errors()[key]) setErrors((prev) => ({ ...prev, [key]: '' }));
  };

  // ── Specs ──────────────────────────────────────────────────────────────────────────────────
  function specError(index: number): string | undefined {
    const row = draft.specs[index];
    if (!row) return undefined;
    const name = row.name.trim();
    const values = parseValues(row.values);
    if (!name && values.length === 0) return undefined;
    if (!name) return t('product.specNameRequired');
    if (values.length === 0) return t('product.specValuesRequired');
    if (draft.specs.findIndex((r) => r.name.trim() === name) !== index) return t('productType.duplicateName');
    const type = currentType();
    if (type) {
      const declared = type.specs.find((s) => s.name === name);
      if (!declared) return t('product.specNotInType', { type: type.name });
      const extra = values.filter((v) => !declared.values.includes(v));
      if (extra.length > 0) return t('product.valuesNotInType', { values: extra.join(', '), type: type.name });
    }
    return undefined;
  }

  /** Puts one of the type's specs (all its values) in the editor, replacing a row of that name. */
  function useTypeSpec(spec: NamedValues) {
    const row = { name: spec.name, values: joinValues(spec.values) };
    const at = draft.specs.findIndex((r) => r.name.trim() === spec.name);
    const blank = draft.specs.findIndex((r) => !r.name.trim() && !r.values.trim());
    if (at >= 0) setDraft('specs', at, row);
    else if (blank >= 0) setDraft('specs', blank, row);
    else setDraft('specs', (prev) => [...prev, row]);
  }

  // ── Category and its type ──────────────────────────────────────────────────────────────────
  function chooseCategory(id: string) {
    clearError('categoryId');
    setDraft('categoryId', id);
    const type = id ? typeOfCategory(props.tree, props.types, id) : undefined;
    if (type) {
      const had = new Map(draft.attributes.map((a) => [a.name, a.value]));
      setDraft('attributes', type.attributes.map((a) => ({ name: a.name, value: had.get(a.name) ?? '' })));
      // An empty spec editor starts from the type's specs (the merchant removes what is not sold).
      if (specs().length === 0 && type.specs.length > 0) setDraft('specs', type.specs.map((s) => ({ name: s.name, values: joinValues(s.values) })));
    } else {
      setDraft('attributes', draft.attributes.filter((a) => a.name.trim() && a.value.trim()));
    }
  }

  // ── SKU matrix ─────────────────────────────────────────────────────────────────────────────
  function applyBulk() {
    for (const row of matrix()) {
      if (!rowOf(row.key).enabled) continue;
      const patch: Partial<SkuDraft> = {};
      if (bulk.price.trim()) patch.price = bulk.price.trim();
      if (bulk.marketPrice.trim()) patch.marketPrice = bulk.marketPrice.trim();
      if (bulk.stock.trim()) patch.stock = bulk.stock.trim();
      setRow(row.key, patch);
    }
    setErrors((prev) => Object.fromEntries(Object.entries(prev).filter(([k]) => !/^(price|market|stock):/.test(k))));
  }

  // ── Save ───────────────────────────────────────────────────────────────────────────────────
  /** The API's input from the draft, or undefined with the problems shown next to their fields. */
  function buildInput(): ProductSaveInput | undefined {
    const found: Errors = {};
    if (!draft.title.trim()) found.title = t('product.titleRequired');
    if (!draft.categoryId) found.categoryId = t('product.categoryRequired');
    if (draft.specs.some((_, i) => specError(i))) found.specs = t('common.fixErrors');
    if (matrixSize() > MAX_SKUS) found.skus = t('product.tooManySkus', { n: MAX_SKUS });
    const rows = enabledRows();
    if (!found.skus && !found.specs && rows.length === 0) found.skus = t('product.noSkus');
    const skus: ProductSaveInput['skus'] = [];
    for (const row of rows) {
      const d = rowOf(row.key);
      const price = parseYuan(d.price);
      const marketPrice = d.marketPrice.trim() ? parseYuan(d.marketPrice) : null;
      const stock = parseCount(d.stock, 0);
      if (price === undefined) found[`price:${row.key}`] = d.price.trim() ? t('product.priceInvalid') : t('product.priceRequired');
      if (marketPrice === undefined) found[`market:${row.key}`] = t('product.priceInvalid');
      if (stock === undefined) found[`stock:${row.key}`] = t('product.countInvalid');
      skus.push({ specs: { ...row.specs }, price: price ?? 0, marketPrice: marketPrice ?? null, stock: stock ?? 0, ...(d.baseStock === undefined ? {} : { baseStock: d.baseStock }) });
    }
    const marketPrice = draft.marketPrice.trim() ? parseYuan(draft.marketPrice) : null;
    if (marketPrice === undefined) found.marketPrice = t('product.priceInvalid');
    const lowStockThreshold = parseCount(draft.lowStockThreshold, 0);
    if (lowStockThreshold === undefined) found.lowStockThreshold = t('product.countInvalid');
    if (Object.keys(found).length > 0) {
      setErrors({ ...found, form: t('common.fixErrors') });
      return undefined;
    }
    const type = currentType();
    const attributes: Record<string, string> = {};
    for (const a of draft.attributes) {
      const name = a.name.trim();
      const value = a.value.trim();
      if (name && value && (!type || type.attributes.some((d) => d.name === name))) attributes[name] = value;
    }
    return {
      title: draft.title.trim(), subtitle: draft.subtitle.trim(), categoryId: draft.categoryId, descriptionHtml: draft.descriptionHtml,
      images: [...draft.images], attributes, specs: specs(), skus, marketPrice: marketPrice ?? null, status: draft.status,
      lowStockThreshold: lowStockThreshold ?? 0, autoOffShelf: draft.autoOffShelf,
    };
  }

  /** An API error next to the field it names; its message always shows above the button. */
  function showApiError(error: ApiError, sent: ProductSaveInput, rows: { key: string }[]) {
    const found: Errors = {};
    const detail = (error.details ?? {}) as Record<string, unknown>;
    let suffix = '';
    if (error.code === 'VALIDATION_FAILED') {
      for (const path of error.fieldPaths()) {
        const sku = /^skus\.(\d+)\.(price|marketPrice|stock)$/.exec(path);
        const key = sku ? rows[Number(sku[1])]?.key : undefined;
        if (sku && key !== undefined) found[`${sku[2] === 'marketPrice' ? 'market' : sku[2]}:${key}`] = error.message;
        else if (['title', 'subtitle', 'categoryId', 'descriptionHtml', 'images', 'marketPrice', 'lowStockThreshold'].includes(path)) found[path] = error.message;
        else suffix = `${suffix} ${path}`;
      }
      if (typeof detail.attribute === 'string') found[`attr:${detail.attribute}`] = error.message;
    }
    if (error.code === 'NOT_FOUND' && typeof detail.categoryId === 'string') found.categoryId = error.message;
    if (error.code === 'SKU_SPECS_INVALID' && typeof detail.spec === 'string') suffix = ` (${detail.spec})`;
    if (error.code === 'SKU_SPECS_INVALID' && typeof detail.index === 'number') suffix = ` (${specLabel(sent.skus[detail.index]?.specs ?? {})})`;
    if (error.code === 'IMAGE_NOT_FOUND') found.images = error.message;
    setErrors({ ...found, form: `${error.message}${suffix}` });
  }

  async function save(e: SubmitEvent) {
    e.preventDefault();
    if (busy() || !props.canManage) return;
    setNotice(undefined);
    setErrors({});
    const input = buildInput();
    if (!input) return;
    const rows = enabledRows();
    setBusy(true);
    try {
      const id = productId();
      if (id) {
        const saved = await api.put<AdminProductDetail>(`/api/admin/products/${encodeURIComponent(id)}`, input);
        setDraft(draftOf(saved, currentType()));
        setNotice(t('common.saved'));
      } else {
        const created = await api.post<AdminProductDetail>('/api/admin/products', input);
        setProductId(created.product.id);
        navigate(`/admin/products/${created.product.id}`, { replace: true, state: { created: true } });
      }
    } catch (err) {
      showApiError(toApiError(err), input, rows);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    const id = productId();
    if (!id || !window.confirm(t('product.confirmDelete', { title: draft.title }))) return;
    setBusy(true);
    try {
      await api.delete(`/api/admin/products/${encodeURIComponent(id)}`);
      navigate('/admin/products', { replace: true });
    } catch (err) {
      setErrors({ form: toApiError(err).message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="product-form" noValidate onSubmit={(e) => void save(e)} data-testid="product-form">
      <div class="page-head">
        <h1>{productId() ? t('product.editTitle') : t('product.create')}</h1>
        <A href="/admin/products" data-testid="product-back">{t('product.backToList')}</A>
      </div>
      <Show when={!props.canManage}><p class="notice">{t('product.readOnly')}</p></Show>
      <fieldset class="plain" disabled={!props.canManage}>
        <section class="card form">
          <h2>{t('product.basics')}</h2>
          <div class="field" classList={{ invalid: !!fieldError('title') }}>
            <label for="product-title">{t('product.title')}</label>
            <input id="product-title" class="input" maxLength={100} data-testid="product-title" value={draft.title}
              onInput={(e) => { setDraft('title', e.currentTarget.value); clearError('title'); }} />
            <FieldError message={fieldError('title')} />
          </div>
          <div class="field" classList={{ invalid: !!fieldError('subtitle') }}>
            <label for="product-subtitle">{t('product.subtitle')}</label>
            <input id="product-subtitle" class="input" maxLength={200} data-testid="product-subtitle" value={draft.subtitle}
              onInput={(e) => setDraft('subtitle', e.currentTarget.value)} />
            <FieldError message={fieldError('subtitle')} />
          </div>
          <div class="field" classList={{ invalid: !!fieldError('categoryId') }}>
            <label for="product-category">{t('product.category')}</label>
            <CategorySelect id="product-category" tree={props.tree} value={draft.categoryId} emptyLabel={t('product.chooseCategory')}
              testid="product-category" invalid={!!fieldError('categoryId')} onChange={chooseCategory} />
            <Show when={props.tree.length === 0}>
              <p class="hint">{t('product.noCategories')} <A href="/admin/categories">{t('catalogNav.categories')}</A></p>
            </Show>
            <Show when={currentType()}>{(type) => <p class="hint" data-testid="product-type-note">{t('product.typeNote', { type: type().name })}</p>}</Show>
            <FieldError message={fieldError('categoryId')} />
          </div>
        </section>

        <section class="card form">
          <h2>{t('product.images')}</h2>
          <p class="hint">{t('product.imagesHint', { n: MAX_IMAGES })}</p>
          <ImageListEditor images={draft.images} max={MAX_IMAGES} canManage={props.canManage} showCover onBusy={setUploading}
            onChange={(images) => { clearError('images'); setDraft('images', images); }}
            onError={(message) => setErrors((prev) => ({ ...prev, images: message ?? '' }))} />
          <FieldError message={fieldError('images')} testid="image-error" />
        </section>

        <section class="card form">
          <h2>{t('product.specs')}</h2>
          <p class="hint">{t('product.specsHint')}</p>
          <Show when={currentType()?.specs.length ? currentType() : undefined}>
            {(type) => (
              <div class="type-specs" data-testid="type-specs">
                <p class="hint">{t('product.typeSpecs', { type: type().name })}</p>
                <div class="chips">
                  <For each={type().specs}>
                    {(spec) => (
                      <button type="button" class="chip" data-testid="type-spec-use" onClick={() => useTypeSpec(spec)}>
                        {spec.name}: {spec.values.join('、')}
                      </button>
                    )}
                  </For>
                </div>
              </div>
            )}
          </Show>
          <NamedValuesEditor prefix="spec" rows={draft.specs} onChange={(rows) => setDraft('specs', rows)} disabled={!props.canManage}
            nameLabel={t('product.specName')} valuesLabel={t('product.specValues')} valuesHint={t('productType.specValuesHint')}
            addLabel={t('product.addSpec')} rowError={specError} />
          <FieldError message={fieldError('specs')} />
        </section>

        <section class="card form">
          <h2>{t('product.skus')}</h2>
          <p class="hint">{t('product.skusHint')}</p>
          <Show when={matrixSize() <= MAX_SKUS} fallback={<p class="error">{t('product.tooManySkus', { n: MAX_SKUS })}</p>}>
            <Show when={matrix().length > 1 && props.canManage}>
              <div class="bulk-row" data-testid="sku-bulk">
                <input class="input" inputmode="decimal" placeholder={t('product.price')} aria-label={t('product.bulkPrice')}
                  data-testid="sku-bulk-price" value={bulk.price} onInput={(e) => setBulk('price', e.currentTarget.value)} />
                <input class="input" inputmode="decimal" placeholder={t('product.marketPrice')} aria-label={t('product.bulkMarketPrice')}
                  value={bulk.marketPrice} onInput={(e) => setBulk('marketPrice', e.currentTarget.value)} />
                <input class="input" inputmode="numeric" placeholder={t('product.stock')} aria-label={t('product.bulkStock')}
                  data-testid="sku-bulk-stock" value={bulk.stock} onInput={(e) => setBulk('stock', e.currentTarget.value)} />
                <button type="button" class="button" data-testid="sku-bulk-apply" onClick={applyBulk}>{t('product.bulkApply')}</button>
              </div>
            </Show>
            <div class="table-scroll">
              <table class="sku-table" data-testid="sku-table">
                <thead>
                  <tr>
                    <th>{t('product.sell')}</th>
                    <Show when={specs().length > 0}><th>{t('product.spec')}</th></Show>
                    <th>{t('product.price')} (¥)</th>
                    <th>{t('product.marketPrice')} (¥)</th>
                    <th>{t('product.stock')}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={matrix()}>
                    {(row, i) => (
                      <tr classList={{ disabled: !rowOf(row.key).enabled }} data-testid="sku-row" data-key={row.key}>
                        <td>
                          <input type="checkbox" aria-label={t('product.sell')} data-testid={`sku-enabled-${i()}`} checked={rowOf(row.key).enabled}
                            onChange={(e) => setRow(row.key, { enabled: e.currentTarget.checked })} />
                        </td>
                        <Show when={specs().length > 0}><td class="sku-spec">{specLabel(row.specs)}</td></Show>
                        <td>
                          <input class="input money" inputmode="decimal" aria-label={t('product.price')} data-testid={`sku-price-${i()}`}
                            disabled={!rowOf(row.key).enabled} aria-invalid={fieldError(`price:${row.key}`) ? 'true' : undefined}
                            value={rowOf(row.key).price} onInput={(e) => { setRow(row.key, { price: e.currentTarget.value }); clearError(`price:${row.key}`); }} />
                          <FieldError message={fieldError(`price:${row.key}`)} />
                        </td>
                        <td>
                          <input class="input money" inputmode="decimal" aria-label={t('product.marketPrice')} data-testid={`sku-market-${i()}`}
                            disabled={!rowOf(row.key).enabled} aria-invalid={fieldError(`market:${row.key}`) ? 'true' : undefined}
                            value={rowOf(row.key).marketPrice} onInput={(e) => { setRow(row.key, { marketPrice: e.currentTarget.value }); clearError(`market:${row.key}`); }} />
                          <FieldError message={fieldError(`market:${row.key}`)} />
                        </td>
                        <td>
                          <input class="input count" inputmode="numeric" aria-label={t('product.stock')} data-testid={`sku-stock-${i()}`}
                            disabled={!rowOf(row.key).enabled} aria-invalid={fieldError(`stock:${row.key}`) ? 'true' : undefined}
                            value={rowOf(row.key).stock} placeholder="0"
                            onInput={(e) => { setRow(row.key, { stock: e.currentTarget.value }); clearError(`stock:${row.key}`); }} />
                          <FieldError message={fieldError(`stock:${row.key}`)} />
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
          <FieldError message={fieldError('skus')} testid="sku-error" />
        </section>

        <section class="card form">
          <h2>{t('product.attributes')}</h2>
          <Show when={currentType()} fallback={<FreeAttributes draft={draft} setDraft={setDraft} canManage={props.canManage} />}>
            {(type) => (
              <Show when={type().attributes.length > 0} fallback={<p class="hint">{t('product.typeHasNoAttributes', { type: type().name })}</p>}>
                <Index each={type().attributes}>
                  {(attribute) => {
                    const value = () => draft.attributes.find((a) => a.name === attribute().name)?.value ?? '';
                    const set = (v: string) => {
                      const at = draft.attributes.findIndex((a) => a.name === attribute().name);
                      if (at >= 0) setDraft('attributes', at, 'value', v);
                      else setDraft('attributes', (prev) => [...prev, { name: attribute().name, value: v }]);
                      clearError(`attr:${attribute().name}`);
                    };
                    return (
                      <div class="field" classList={{ invalid: !!fieldError(`attr:${attribute().name}`) }}>
                        <label>{attribute().name}</label>
                        <Show when={attribute().values.length > 0} fallback={
                          <input class="input" maxLength={100} data-testid="product-attribute" value={value()} onInput={(e) => set(e.currentTarget.value)} />
                        }>
                          <select class="input" data-testid="product-attribute" onChange={(e) => set(e.currentTarget.value)}>
                            <option value="" selected={value() === ''}>{t('product.attributeUnset')}</option>
                            <For each={attribute().values}>{(v) => <option value={v} selected={value() === v}>{v}</option>}</For>
                          </select>
                        </Show>
                        <FieldError message={fieldError(`attr:${attribute().name}`)} />
                      </div>
                    );
                  }}
                </Index>
              </Show>
            )}
          </Show>
        </section>

        <section class="card form">
          <h2>{t('product.description')}</h2>
          <div class="field" classList={{ invalid: !!fieldError('descriptionHtml') }}>
            <textarea class="input" rows={8} maxLength={50_000} data-testid="product-description" aria-label={t('product.description')}
              value={draft.descriptionHtml} onInput={(e) => setDraft('descriptionHtml', e.currentTarget.value)} />
            <p class="hint">{t('product.descriptionHint')}</p>
            <FieldError message={fieldError('descriptionHtml')} />
          </div>
        </section>

        <section class="card form">
          <h2>{t('product.selling')}</h2>
          <div class="grid2">
            <div class="field" classList={{ invalid: !!fieldError('marketPrice') }}>
              <label for="product-market-price">{t('product.productMarketPrice')} (¥)</label>
              <input id="product-market-price" class="input" inputmode="decimal" data-testid="product-market-price" value={draft.marketPrice}
                onInput={(e) => { setDraft('marketPrice', e.currentTarget.value); clearError('marketPrice'); }} />
              <FieldError message={fieldError('marketPrice')} />
            </div>
            <div class="field" classList={{ invalid: !!fieldError('lowStockThreshold') }}>
              <label for="product-low-stock">{t('product.lowStockThreshold')}</label>
              <input id="product-low-stock" class="input" inputmode="numeric" data-testid="product-low-stock" value={draft.lowStockThreshold}
                onInput={(e) => { setDraft('lowStockThreshold', e.currentTarget.value); clearError('lowStockThreshold'); }} />
              <FieldError message={fieldError('lowStockThreshold')} />
            </div>
          </div>
          <label class="check">
            <input type="checkbox" data-testid="product-auto-off" checked={draft.autoOffShelf} onChange={(e) => setDraft('autoOffShelf', e.currentTarget.checked)} />
            <span>{t('product.autoOffShelf')}</span>
          </label>
          <div class="field">
            <label for="product-status">{t('product.status')}</label>
            <select id="product-status" class="input" data-testid="product-status" onChange={(e) => setDraft('status', e.currentTarget.value === 'on' ? 'on' : 'off')}>
              <option value="off" selected={draft.status === 'off'}>{t('product.statusOff')}</option>
              <option value="on" selected={draft.status === 'on'}>{t('product.statusOn')}</option>
            </select>
          </div>
        </section>
      </fieldset>

      <div class="save-bar">
        <FormAlert message={errors().form || undefined} />
        <Show when={notice()}>{(message) => <p class="notice" data-testid="product-saved">{message()}</p>}</Show>
        <Show when={props.canManage}>
          <div class="actions">
            <button type="submit" class="button primary" disabled={busy() || uploading()} data-testid="product-save">
              {busy() ? t('common.saving') : t('common.save')}
            </button>
            <Show when={productId()}>
              <button type="button" class="button danger" disabled={busy()} data-testid="product-delete" onClick={() => void remove()}>{t('common.delete')}</button>
            </Show>
          </div>
        </Show>
      </div>
    </form>
  );
}

function FieldError(props: { message?: string; testid?: string }) {
  return <Show when={props.message}>{(message) => <p class="error" role="alert" data-testid={props.testid}>{message()}</p>}</Show>;
}

/** A category without a product type: attributes are free name/value pairs. */
function FreeAttributes(props: {
  draft: Draft;
  setDraft: SetStoreFunction<Draft>;
  canManage: boolean;
}) {
  const { t } = useI18n();
  return (
    <>
      <p class="hint">{t('product.freeAttributesHint')}</p>
      <Index each={props.draft.attributes}>
        {(attribute, i) => (
          <div class="nv-fields">
            <input class="input nv-name" maxLength={30} placeholder={t('productType.attributeName')} aria-label={t('productType.attributeName')}
              data-testid={`attr-name-${i}`} value={attribute().name} onInput={(e) => props.setDraft('attributes', i, 'name', e.currentTarget.value)} />
            <input class="input nv-values" maxLength={100} placeholder={t('product.attributeValue')} aria-label={t('product.attributeValue')}
              data-testid={`attr-value-${i}`} value={attribute().value} onInput={(e) => props.setDraft('attributes', i, 'value', e.currentTarget.value)} />
            <button type="button" class="button small-button" aria-label={t('common.remove')}
              onClick={() => props.setDraft('attributes', (prev) => prev.filter((_, j) => j !== i))}>×</button>
          </div>
        )}
      </Index>
      <Show when={props.canManage && props.draft.attributes.length < 30}>
        <button type="button" class="button" data-testid="add-attribute"
          onClick={() => props.setDraft('attributes', (prev) => [...prev, { name: '', value: '' }])}>+ {t('product.addAttribute')}</button>
      </Show>
    </>
  );
}
