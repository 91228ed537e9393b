import { createSignal, onMount, Show } from 'solid-js';
import { AdminFrame, can } from '~/components/AdminFrame';
import { AuditList } from '~/components/AuditList';
import { Field, FormAlert } from '~/components/Field';
import { ShopGate } from '~/components/ShopGate';
import { StatusPage } from '~/components/StatusPage';
import { api, queryString } from '~/lib/api';
import { toApiError } from '~/lib/client-data';
import { localDayEnd, localDayStart } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { AuditItem, AuditPage } from '~/lib/types';

const PAGE_SIZE = 20;

/** The audit log with filters (object, action, date range) and "load more" by cursor. */
export default function AdminAudit() {
  const { t } = useI18n();
  return (
    <ShopGate>
      {(shop) => (
        <AdminFrame shop={shop} title={t('audit.title')}>
          {(me) => (
            <Show when={can(me().staff, 'audit.view')} fallback={<Forbidden />}>
              <AuditBrowser />
            </Show>
          )}
        </AdminFrame>
      )}
    </ShopGate>
  );
}

function Forbidden() {
  const { t } = useI18n();
  return <StatusPage testid="forbidden" title={t('audit.title')} text={t('admin.noPermissions')} />;
}

interface Filters {
  entity: string;
  action: string;
  from: string;
  to: string;
}

const noFilters: Filters = { entity: '', action: '', from: '', to: '' };

function AuditBrowser() {
  const { t } = useI18n();
  const [draft, setDraft] = createSignal<Filters>(noFilters);
  const [items, setItems] = createSignal<AuditItem[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [state, setState] = createSignal<'loading' | 'idle' | 'more'>('loading');
  const [error, setError] = createSignal<string>();
  let applied: Filters = noFilters;
  let generation = 0;

  /** Loads the first page for `filters`, or the next page of the current filters. */
  async function load(filters: Filters, after: string | null) {
    const mine = ++generation;
    setState(after ? 'more' : 'loading');
    setError(undefined);
    try {
      const page = await api.get<AuditPage>(`/api/admin/audit${queryString({
        entity: filters.entity.trim(), action: filters.action.trim(),
        from: localDayStart(filters.from), to: localDayEnd(filters.to),
        cursor: after, limit: PAGE_SIZE,
      })}`);
      if (mine !== generation) return;
      setItems((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (e) {
      if (mine === generation) setError(toApiError(e).message);
    } finally {
      if (mine === generation) setState('idle');
    }
  }

  const apply = (filters: Filters) => {
    applied = filters;
    setItems([]);
    setCursor(null);
    void load(filters, null);
  };

  onMount(() => apply(noFilters));

  const set = (key: keyof Filters) => (value: string) => setDraft((prev) => ({ ...prev, [key]: value }));

  return (
    <>
      <h1>{t('audit.title')}</h1>
      <form class="card form filters" noValidate data-testid="audit-filters"
        onSubmit={(e) => { e.preventDefault(); apply(draft()); }}>
        <div class="grid">
          <Field name="entity" label={t('audit.entity')} value={draft().entity} onInput={set('entity')} />
          <Field name="action" label={t('audit.action')} value={draft().action} onInput={set('action')} />
          <Field name="from" type="date" label={t('audit.from')} value={draft().from} onInput={set('from')} />
          <Field name="to" type="date" label={t('audit.to')} value={draft().to} onInput={set('to')} />
        </div>
        <div class="actions">
          <button type="submit" class="button primary" data-testid="audit-filter-submit">{t('audit.filter')}</button>
          <button type="button" class="button" data-testid="audit-filter-reset"
            onClick={() => { setDraft(noFilters); apply(noFilters); }}>{t('audit.reset')}</button>
        </div>
      </form>
      <FormAlert message={error()} />
      <Show when={state() !== 'loading'} fallback={<p class="muted">{t('common.loading')}</p>}>
        <AuditList items={items()} />
        <Show when={cursor()} fallback={<Show when={items().length > 0}><p class="muted center" data-testid="audit-end">{t('audit.end')}</p></Show>}>
          {(next) => (
            <p class="center">
              <button type="button" class="button" data-testid="audit-load-more" disabled={state() === 'more'}
                onClick={() => void load(applied, next())}>
                {state() === 'more' ? t('common.loading') : t('audit.loadMore')}
              </button>
            </p>
          )}
        </Show>
      </Show>
    </>
  );
}
