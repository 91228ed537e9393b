import { A } from '@solidjs/router';
import { For, Index, Show, type Accessor, type JSX } from 'solid-js';
import { useI18n } from '~/lib/i18n-context';
import type { AdminMe, CategoryRoot, Staff } from '~/lib/types';
import { AdminFrame, can } from './AdminFrame';
import { ShopGate } from './ShopGate';

export const canViewCatalog = (staff: Staff) => can(staff, 'products.view');
export const canManageCatalog = (staff: Staff) => can(staff, 'products.manage');

/**
 * A page of the admin's catalog section: the admin frame, the section's tabs, and the page itself
 * only for staff holding products.view (changing anything needs products.manage, checked inside).
 */
export function CatalogAdminPage(props: { title: string; children: (me: Accessor<AdminMe>) => JSX.Element }) {
  const { t } = useI18n();
  return (
    <ShopGate>
      {(shop) => (
        <AdminFrame shop={shop} title={props.title}>
          {(me) => (
            <Show when={canViewCatalog(me().staff)} fallback={<p class="alert" data-testid="forbidden">{t('admin.noPermissions')}</p>}>
              <CatalogTabs />
              {props.children(me)}
            </Show>
          )}
        </AdminFrame>
      )}
    </ShopGate>
  );
}

function CatalogTabs() {
  const { t } = useI18n();
  return (
    <nav class="tabs" aria-label={t('admin.nav.products')}>
      <A href="/admin/products" activeClass="active" data-testid="tab-products">{t('catalogNav.products')}</A>
      <A href="/admin/categories" activeClass="active" data-testid="tab-categories">{t('catalogNav.categories')}</A>
      <A href="/admin/product-types" activeClass="active" data-testid="tab-product-types">{t('catalogNav.types')}</A>
      <A href="/admin/low-stock" activeClass="active" data-testid="tab-low-stock">{t('catalogNav.lowStock')}</A>
    </nav>
  );
}

/** A name and its values typed as one comma-separated line (规格: 颜色 → "红, 蓝"). */
export interface NamedValuesRow {
  name: string;
  values: string;
}

interface NamedValuesEditorProps {
  /** testids: `{prefix}-name-{i}`, `{prefix}-values-{i}`, `{prefix}-remove-{i}`, `add-{prefix}`. */
  prefix: string;
  rows: NamedValuesRow[];
  onChange: (rows: NamedValuesRow[]) => void;
  nameLabel: string;
  valuesLabel: string;
  valuesHint?: string;
  addLabel: string;
  max?: number;
  /** A message under row i (a clash, a value the product type does not offer). */
  rowError?: (index: number) => string | undefined;
  disabled?: boolean;
}

/** Rows of name + comma-separated values, with add and remove. */
export function NamedValuesEditor(props: NamedValuesEditorProps) {
  const { t } = useI18n();
  const update = (index: number, patch: Partial<NamedValuesRow>) =>
    props.onChange(props.rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <div class="nv-editor">
      <Index each={props.rows}>
        {(row, i) => (
          <div class="nv-row" classList={{ invalid: !!props.rowError?.(i) }}>
            <div class="nv-fields">
              <input class="input nv-name" aria-label={props.nameLabel} placeholder={props.nameLabel} maxLength={30}
                data-testid={`${props.prefix}-name-${i}`} value={row().name} disabled={props.disabled}
                onInput={(e) => update(i, { name: e.currentTarget.value })} />
              <input class="input nv-values" aria-label={props.valuesLabel} placeholder={props.valuesHint ?? props.valuesLabel}
                data-testid={`${props.prefix}-values-${i}`} value={row().values} disabled={props.disabled}
                onInput={(e) => update(i, { values: e.currentTarget.value })} />
              <button type="button" class="button small-button" data-testid={`${props.prefix}-remove-${i}`} disabled={props.disabled}
                aria-label={t('common.remove')} title={t('common.remove')}
                onClick={() => props.onChange(props.rows.filter((_, j) => j !== i))}>×</button>
            </div>
            <Show when={props.rowError?.(i)}>{(message) => <p class="error">{message()}</p>}</Show>
          </div>
        )}
      </Index>
      <Show when={!props.disabled && props.rows.length < (props.max ?? 10)}>
        <button type="button" class="button" data-testid={`add-${props.prefix}`}
          onClick={() => props.onChange([...props.rows, { name: '', values: '' }])}>+ {props.addLabel}</button>
      </Show>
    </div>
  );
}

interface CategorySelectProps {
  id?: string;
  tree: CategoryRoot[];
  value: string;
  onChange: (id: string) => void;
  /** The first option (value ''): "choose…" or "all categories". */
  emptyLabel: string;
  testid?: string;
  disabled?: boolean;
  invalid?: boolean;
}

/** Roots as groups: the root itself first, then its children. */
export function CategorySelect(props: CategorySelectProps) {
  return (
    <select id={props.id} class="input" data-testid={props.testid} value={props.value} disabled={props.disabled}
      aria-invalid={props.invalid ? 'true' : undefined} onChange={(e) => props.onChange(e.currentTarget.value)}>
      <option value="">{props.emptyLabel}</option>
      <For each={props.tree}>
        {(root) => (
          <optgroup label={root.name}>
            <option value={root.id} selected={props.value === root.id}>{root.name}</option>
            <For each={root.children}>
              {(child) => <option value={child.id} selected={props.value === child.id}>{`${root.name} › ${child.name}`}</option>}
            </For>
          </optgroup>
        )}
      </For>
    </select>
  );
}
