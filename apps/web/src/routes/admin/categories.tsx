import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { canManageCatalog, CatalogAdminPage } from '~/components/CatalogAdmin';
import { FormAlert } from '~/components/Field';
import { api } from '~/lib/api';
import { createClientData, failedError, readyValue, toApiError } from '~/lib/client-data';
import { useI18n } from '~/lib/i18n-context';
import type { Category, CategoryRoot, ProductType } from '~/lib/types';

/** B1: two-level categories; each may link a product type. */
export default function AdminCategories() {
  const { t } = useI18n();
  return (
    <CatalogAdminPage title={t('category.title')}>
      {(me) => <CategoryManager canManage={canManageCatalog(me().staff)} />}
    </CatalogAdminPage>
  );
}

function CategoryManager(props: { canManage: boolean }) {
  const { t } = useI18n();
  const [tree, { reload }] = createClientData(async () => (await api.get<{ categories: CategoryRoot[] }>('/api/admin/categories')).categories);
  const [types] = createClientData(async () => (await api.get<{ types: ProductType[] }>('/api/admin/product-types')).types);
  const typeList = () => readyValue(types()) ?? [];
  return (
    <>
      <h1>{t('category.title')}</h1>
      <Show when={props.canManage}>
        <section class="card">
          <h2>{t('category.createRoot')}</h2>
          <CategoryCreateForm parentId={null} types={typeList()} onCreated={() => void reload()} />
        </section>
      </Show>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(tree())}>{(error) => <p class="alert">{error().message}</p>}</Match>
        <Match when={readyValue(tree())}>
          {(roots) => (
            <Show when={roots().length > 0} fallback={<p class="muted" data-testid="category-empty">{t('category.empty')}</p>}>
              <ul class="category-tree" data-testid="category-tree">
                <For each={roots()}>
                  {(root) => (
                    <li class="card category-root">
                      <CategoryItem category={root} types={typeList()} canManage={props.canManage} onChanged={() => void reload()} />
                      <Show when={root.children.length > 0}>
                        <ul class="category-children">
                          <For each={root.children}>
                            {(child) => (
                              <li>
                                <CategoryItem category={child} types={typeList()} canManage={props.canManage} onChanged={() => void reload()} />
                              </li>
                            )}
                          </For>
                        </ul>
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Match>
      </Switch>
    </>
  );
}

/** A new root (parentId null) or a new child of a root. */
function CategoryCreateForm(props: { parentId: string | null; types: ProductType[]; onCreated: () => void; onCancel?: () => void }) {
  const { t } = useI18n();
  const [name, setName] = createSignal('');
  const [typeId, setTypeId] = createSignal('');
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const child = props.parentId !== null;

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (busy()) return;
    if (!name().trim()) {
      setError(t('category.nameRequired'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api.post('/api/admin/categories', { name: name().trim(), parentId: props.parentId, typeId: typeId() || null });
      setName('');
      setTypeId('');
      props.onCreated();
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="inline-form" noValidate onSubmit={(e) => void submit(e)} data-testid={child ? 'category-child-form' : 'category-create-form'}>
      <input class="input" maxLength={30} placeholder={child ? t('category.childName') : t('category.name')} aria-label={t('category.name')}
        data-testid={child ? 'category-child-name' : 'category-name'} value={name()} onInput={(e) => setName(e.currentTarget.value)} />
      <select class="input" aria-label={t('category.type')} data-testid={child ? 'category-child-type' : 'category-type'}
        value={typeId()} onChange={(e) => setTypeId(e.currentTarget.value)}>
        <option value="">{t('category.noType')}</option>
        <For each={props.types}>{(type) => <option value={type.id}>{type.name}</option>}</For>
      </select>
      <button type="submit" class="button primary" disabled={busy()} data-testid={child ? 'category-child-create' : 'category-create'}>
        {t('category.create')}
      </button>
      <Show when={props.onCancel}>
        {(cancel) => <button type="button" class="button" onClick={() => cancel()()}>{t('common.cancel')}</button>}
      </Show>
      <FormAlert message={error()} />
    </form>
  );
}

/** One category: name, linked type; rename, link a type, add a child (roots), delete. */
function CategoryItem(props: { category: Category; types: ProductType[]; canManage: boolean; onChanged: () => void }) {
  const { t } = useI18n();
  const [mode, setMode] = createSignal<'view' | 'rename' | 'child'>('view');
  const [name, setName] = createSignal('');
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const isRoot = () => props.category.parentId === null;
  const typeName = () => props.types.find((type) => type.id === props.category.typeId)?.name;

  /** Runs one change; true when it went through (the list is then reloaded). */
  async function run(action: () => Promise<unknown>): Promise<boolean> {
    if (busy()) return false;
    setBusy(true);
    setError(undefined);
    try {
      await action();
      setMode('view');
      props.onChanged();
      return true;
    } catch (err) {
      setError(toApiError(err).message);
      return false;
    } finally {
      setBusy(false);
    }
  }

  const rename = (e: SubmitEvent) => {
    e.preventDefault();
    if (!name().trim()) {
      setError(t('category.nameRequired'));
      return;
    }
    void run(() => api.patch(`/api/admin/categories/${props.category.id}`, { name: name().trim() }));
  };
  const linkType = async (select: HTMLSelectElement) => {
    const ok = await run(() => api.patch(`/api/admin/categories/${props.category.id}`, { typeId: select.value || null }));
    if (!ok) select.value = props.category.typeId ?? '';
  };
  const remove = () => {
    if (!window.confirm(t('category.confirmDelete', { name: props.category.name }))) return;
    void run(() => api.delete(`/api/admin/categories/${props.category.id}`));
  };

  return (
    <div class="category-item" data-testid="category-row" data-id={props.category.id} data-level={isRoot() ? 1 : 2}>
      <Show when={mode() === 'rename'} fallback={
        <div class="category-line">
          <strong data-testid="category-row-name">{props.category.name}</strong>
          <Show when={typeName()}>{(type) => <span class="badge" data-testid="category-row-type">{type()}</span>}</Show>
        </div>
      }>
        <form class="inline-form" noValidate onSubmit={rename}>
          <input class="input" maxLength={30} aria-label={t('category.name')} data-testid="category-rename-input"
            value={name()} onInput={(e) => setName(e.currentTarget.value)} />
          <button type="submit" class="button primary" disabled={busy()} data-testid="category-rename-save">{t('common.save')}</button>
          <button type="button" class="button" onClick={() => { setMode('view'); setError(undefined); }}>{t('common.cancel')}</button>
        </form>
      </Show>
      <Show when={props.canManage && mode() !== 'rename'}>
        <div class="row-actions">
          <select class="input compact" aria-label={t('category.type')} data-testid="category-link-type" disabled={busy()}
            onChange={(e) => void linkType(e.currentTarget)}>
            <option value="" selected={!props.category.typeId}>{t('category.noType')}</option>
            <For each={props.types}>{(type) => <option value={type.id} selected={type.id === props.category.typeId}>{type.name}</option>}</For>
          </select>
          <button type="button" class="link" data-testid="category-rename" onClick={() => { setName(props.category.name); setError(undefined); setMode('rename'); }}>
            {t('category.rename')}
          </button>
          <Show when={isRoot()}>
            <button type="button" class="link" data-testid="category-add-child" onClick={() => { setError(undefined); setMode(mode() === 'child' ? 'view' : 'child'); }}>
              {t('category.addChild')}
            </button>
          </Show>
          <button type="button" class="link danger" data-testid="category-delete" disabled={busy()} onClick={remove}>{t('common.delete')}</button>
        </div>
      </Show>
      <Show when={mode() === 'child'}>
        <CategoryCreateForm parentId={props.category.id} types={props.types}
          onCreated={() => { setMode('view'); props.onChanged(); }} onCancel={() => setMode('view')} />
      </Show>
      <FormAlert message={error()} />
    </div>
  );
}
