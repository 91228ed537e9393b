import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { canManageCatalog, CatalogAdminPage, NamedValuesEditor, type NamedValuesRow } from '~/components/CatalogAdmin';
import { FormAlert } from '~/components/Field';
import { api } from '~/lib/api';
import { joinValues, parseValues } from '~/lib/catalog';
import { createClientData, failedError, readyValue, toApiError } from '~/lib/client-data';
import { useI18n } from '~/lib/i18n-context';
import type { NamedValues, ProductType } from '~/lib/types';

/** B1: product types: the attributes (材质…) and specs (颜色, 尺码…) their categories' products use. */
export default function AdminProductTypes() {
  const { t } = useI18n();
  return (
    <CatalogAdminPage title={t('productType.title')}>
      {(me) => <ProductTypeManager canManage={canManageCatalog(me().staff)} />}
    </CatalogAdminPage>
  );
}

function ProductTypeManager(props: { canManage: boolean }) {
  const { t } = useI18n();
  const [types, { reload }] = createClientData(async () => (await api.get<{ types: ProductType[] }>('/api/admin/product-types')).types);
  const [creating, setCreating] = createSignal(false);
  return (
    <>
      <div class="page-head">
        <h1>{t('productType.title')}</h1>
        <Show when={props.canManage && !creating()}>
          <button type="button" class="button primary" data-testid="type-new" onClick={() => setCreating(true)}>+ {t('productType.create')}</button>
        </Show>
      </div>
      <p class="muted small">{t('productType.intro')}</p>
      <Show when={creating()}>
        <TypeEditor canManage onSaved={() => { setCreating(false); void reload(); }} onCancel={() => setCreating(false)} />
      </Show>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(types())}>{(error) => <p class="alert">{error().message}</p>}</Match>
        <Match when={readyValue(types())}>
          {(list) => (
            <Show when={list().length > 0} fallback={<Show when={!creating()}><p class="muted" data-testid="type-empty">{t('productType.empty')}</p></Show>}>
              <For each={list()}>
                {(type) => <TypeEditor type={type} canManage={props.canManage} onSaved={() => void reload()} />}
              </For>
            </Show>
          )}
        </Match>
      </Switch>
    </>
  );
}

const toRows = (list: NamedValues[]): NamedValuesRow[] => list.map((l) => ({ name: l.name, values: joinValues(l.values) }));
const fromRows = (rows: NamedValuesRow[]): NamedValues[] =>
  rows.filter((r) => r.name.trim() !== '').map((r) => ({ name: r.name.trim(), values: parseValues(r.values) }));

/** Names used twice in one list: the API refuses them, so say so next to the row. */
function duplicateAt(rows: NamedValuesRow[], index: number): boolean {
  const name = rows[index]?.name.trim();
  return !!name && rows.findIndex((r) => r.name.trim() === name) !== index;
}

/** One type (or a new one): name, attribute rows and spec rows; save and delete (both reload the list via onSaved). */
function TypeEditor(props: { type?: ProductType; canManage: boolean; onSaved: () => void; onCancel?: () => void }) {
  const { t } = useI18n();
  const [name, setName] = createSignal(props.type?.name ?? '');
  const [attributes, setAttributes] = createSignal<NamedValuesRow[]>(toRows(props.type?.attributes ?? []));
  const [specs, setSpecs] = createSignal<NamedValuesRow[]>(toRows(props.type?.specs ?? [{ name: '', values: [] }]));
  const [error, setError] = createSignal<string>();
  const [saved, setSaved] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const disabled = () => !props.canManage;

  const specError = (i: number) => {
    if (duplicateAt(specs(), i)) return t('productType.duplicateName');
    const row = specs()[i];
    return row && row.name.trim() && parseValues(row.values).length === 0 ? t('productType.specNeedsValues') : undefined;
  };
  const attributeError = (i: number) => (duplicateAt(attributes(), i) ? t('productType.duplicateName') : undefined);

  async function save(e: SubmitEvent) {
    e.preventDefault();
    if (busy()) return;
    setSaved(false);
    if (!name().trim()) {
      setError(t('productType.nameRequired'));
      return;
    }
    if (specs().some((_, i) => specError(i)) || attributes().some((_, i) => attributeError(i))) {
      setError(t('common.fixErrors'));
      return;
    }
    setBusy(true);
    setError(undefined);
    const body = { name: name().trim(), attributes: fromRows(attributes()), specs: fromRows(specs()) };
    try {
      if (props.type) {
        // The list keeps this editor (and its "saved" note); nothing else changed.
        const { type } = await api.patch<{ type: ProductType }>(`/api/admin/product-types/${props.type.id}`, body);
        setName(type.name);
        setAttributes(toRows(type.attributes));
        setSpecs(toRows(type.specs));
        setSaved(true);
      } else {
        await api.post('/api/admin/product-types', body);
        props.onSaved();
      }
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    const type = props.type;
    if (!type || !window.confirm(t('productType.confirmDelete', { name: type.name }))) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.delete(`/api/admin/product-types/${type.id}`);
      props.onSaved();
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card form" noValidate onSubmit={(e) => void save(e)} data-testid="type-row" data-id={props.type?.id ?? 'new'}>
      <div class="field">
        <label for={`type-name-${props.type?.id ?? 'new'}`}>{t('productType.name')}</label>
        <input id={`type-name-${props.type?.id ?? 'new'}`} class="input" maxLength={30} data-testid="type-name" value={name()}
          disabled={disabled()} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <h3>{t('productType.specs')}</h3>
      <p class="hint">{t('productType.specsHint')}</p>
      <NamedValuesEditor prefix="type-spec" rows={specs()} onChange={setSpecs} disabled={disabled()}
        nameLabel={t('productType.specName')} valuesLabel={t('productType.values')} valuesHint={t('productType.specValuesHint')}
        addLabel={t('productType.addSpec')} rowError={specError} />
      <h3>{t('productType.attributes')}</h3>
      <p class="hint">{t('productType.attributesHint')}</p>
      <NamedValuesEditor prefix="type-attr" rows={attributes()} onChange={setAttributes} disabled={disabled()} max={30}
        nameLabel={t('productType.attributeName')} valuesLabel={t('productType.values')} valuesHint={t('productType.attributeValuesHint')}
        addLabel={t('productType.addAttribute')} rowError={attributeError} />
      <FormAlert message={error()} />
      <Show when={saved() && props.type}><p class="notice" data-testid="type-saved">{t('common.saved')}</p></Show>
      <Show when={props.canManage}>
        <div class="actions">
          <button type="submit" class="button primary" disabled={busy()} data-testid="type-save">{t('common.save')}</button>
          <Show when={props.type}>
            <button type="button" class="button danger" disabled={busy()} data-testid="type-delete" onClick={() => void remove()}>{t('common.delete')}</button>
          </Show>
          <Show when={props.onCancel}>
            {(cancel) => <button type="button" class="button" onClick={() => cancel()()}>{t('common.cancel')}</button>}
          </Show>
        </div>
      </Show>
    </form>
  );
}
