import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { can } from '~/components/AdminFrame';
import { CategorySelect } from '~/components/CatalogAdmin';
import { CursorListView } from '~/components/CursorList';
import { DistributionAdminPage } from '~/components/DistributionAdmin';
import { EditDeleteActions } from '~/components/DistributionAdminParts';
import { ButtonTabs, EmptyNote } from '~/components/DistributionParts';
import { RadioChips } from '~/components/RadioChips';
import { parseRuleInputs, RuleInputs, ruleInputText } from '~/components/RuleInputs';
import { api, queryString } from '~/lib/api';
import { createClientData, readyValue } from '~/lib/client-data';
import { createCursorList, type CursorPage } from '~/lib/cursor-list';
import { rateText } from '~/lib/distribution';
import { createAction } from '~/lib/form';
import { formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { CategoryRoot, CommissionOverride, CommissionRule, ProductPage, RuleScope } from '~/lib/types';

const SCOPES = ['all', 'product', 'category'] as const;

/** D5: product and category commission rules; a product's rule wins over its category's, both over the default. */
export default function AdminCommissionRules() {
  const { t } = useI18n();
  return (
    <DistributionAdminPage title={t('adminDist.rules.title')} tab="rules" permission="distributors.view">
      {(me) => <Rules canManage={can(me().staff, 'distributors.manage')} />}
    </DistributionAdminPage>
  );
}

function Rules(props: { canManage: boolean }) {
  const { t } = useI18n();
  const [scope, setScope] = createSignal<(typeof SCOPES)[number]>('all');
  const [editing, setEditing] = createSignal<CommissionOverride>();
  const list = createCursorList((cursor) =>
    api.get<CursorPage<CommissionOverride>>(`/api/admin/distribution/rules${queryString({ scope: scope() === 'all' ? undefined : scope(), cursor })}`));
  createEffect(on(scope, () => void list.reload()));
  const saved = () => { setEditing(undefined); void list.reload(); };
  return (
    <>
      <h1>{t('adminDist.rules.title')}</h1>
      <p class="muted small">{t('adminDist.rules.hint')}</p>
      <Show when={props.canManage}>
        <Show when={editing()} keyed fallback={<RuleForm onSaved={saved} />}>
          {(rule) => <RuleForm rule={rule} onSaved={saved} onCancel={() => setEditing(undefined)} />}
        </Show>
      </Show>
      <ButtonTabs tabs={SCOPES} active={scope()} testid="rules-tab" onChange={setScope}
        label={(s) => (s === 'all' ? t('dist.all') : t(`adminDist.rules.scope.${s}`))} />
      <CursorListView list={list} testid="rules" empty={<EmptyNote text={t('adminDist.rules.empty')} testid="rules-empty" />}>
        {(r) => <RuleRow rule={r} canManage={props.canManage} onEdit={() => setEditing(r)} onDeleted={() => void list.reload()} />}
      </CursorListView>
    </>
  );
}

function RuleRow(props: { rule: CommissionOverride; canManage: boolean; onEdit: () => void; onDeleted: () => void }) {
  const { t, lang } = useI18n();
  const r = () => props.rule;
  return (
    <li class="card" data-testid="rule" data-scope={r().scope} data-target={r().targetId}>
      <div class="card-head">
        <strong>{r().name ?? r().targetId}</strong>
        <span class="badge">{t(`adminDist.rules.scope.${r().scope}`)}</span>
      </div>
      <Show when={r().targetMissing}><p class="alert warn small">{t('adminDist.rules.missing')}</p></Show>
      <p class="small" data-testid="rule-rates">{r().rule.levels.map((v, i) => `${t('dist.levelRate', { n: i + 1 })} ${rateText(r().rule.mode, v, t('dist.perPiece'))}`).join(' · ')}</p>
      <p class="muted small">{formatTime(lang(), r().updatedAt)}</p>
      <Show when={props.canManage}>
        <EditDeleteActions testid="rule" deletePath={`/api/admin/distribution/rules/${r().scope}/${encodeURIComponent(r().targetId)}`}
          confirm={t('adminDist.rules.confirmDelete')} onEdit={props.onEdit} onDeleted={props.onDeleted} />
      </Show>
    </li>
  );
}

/** A new rule (pick a product or a category) or a change to one (its target fixed). */
function RuleForm(props: { rule?: CommissionOverride; onSaved: () => void; onCancel?: () => void }) {
  const { t } = useI18n();
  const existing = props.rule;
  const [scope, setScope] = createSignal<RuleScope>(existing?.scope ?? 'product');
  const [targetId, setTargetId] = createSignal(existing?.targetId ?? '');
  const [mode, setMode] = createSignal<CommissionRule['mode']>(existing?.rule.mode ?? 'bps');
  const [rates, setRates] = createSignal<string[]>([0, 1, 2].map((i) => (existing ? ruleInputText(existing.rule.mode, existing.rule.levels[i]) : '')));
  const [q, setQ] = createSignal('');
  const [products, setProducts] = createSignal<ProductPage['items']>([]);
  const [tree] = createClientData(async () => (await api.get<{ categories: CategoryRoot[] }>('/api/admin/categories')).categories);
  const action = createAction();

  const search = () => action.run(async () => {
    const page = await api.get<ProductPage>(`/api/admin/products${queryString({ q: q().trim(), limit: 20 })}`);
    setProducts(page.items);
    if (page.items[0] && !page.items.some((p) => p.id === targetId())) setTargetId(page.items[0].id);
  });

  function save(e: SubmitEvent) {
    e.preventDefault();
    if (!targetId()) return action.setError(t('adminDist.rules.targetRequired'));
    const levels = parseRuleInputs(mode(), rates());
    if (!levels) return action.setError(t('adminDist.settings.percentInvalid'));
    void action.run(async () => {
      await api.put(`/api/admin/distribution/rules/${scope()}/${encodeURIComponent(targetId())}`, { mode: mode(), levels });
      props.onSaved();
    });
  }

  return (
    <form class="card form" noValidate onSubmit={save} data-testid="rule-form">
      <h2>{existing ? t('adminDist.rules.editTitle', { name: existing.name ?? existing.targetId }) : t('adminDist.rules.new')}</h2>
      <Show when={!existing}>
        <RadioChips name="rule-scope" options={['product', 'category'] as const} value={scope()} testid="rule-scope"
          label={(s) => t(`adminDist.rules.scope.${s}`)} onChange={(s) => { setScope(s); setTargetId(''); }} />
        <Show when={scope() === 'product'} fallback={
          <div class="field">
            <label for="rule-category">{t('adminDist.rules.scope.category')}</label>
            <CategorySelect id="rule-category" tree={readyValue(tree()) ?? []} value={targetId()} emptyLabel={t('product.chooseCategory')} testid="rule-category" onChange={setTargetId} />
          </div>
        }>
          <div class="search-row">
            <input class="input" type="search" maxLength={50} placeholder={t('adminDist.rules.searchProduct')} aria-label={t('adminDist.rules.searchProduct')}
              value={q()} data-testid="rule-product-search" onInput={(e) => setQ(e.currentTarget.value)}
              onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void search(); } }} />
            <button type="button" class="button" data-testid="rule-product-search-submit" onClick={() => void search()}>{t('common.search')}</button>
          </div>
          <Show when={products().length > 0}>
            <select class="input" value={targetId()} aria-label={t('adminDist.rules.scope.product')} data-testid="rule-product" onChange={(e) => setTargetId(e.currentTarget.value)}>
              <For each={products()}>{(p) => <option value={p.id}>{p.title}</option>}</For>
            </select>
          </Show>
        </Show>
      </Show>
      <RuleInputs mode={mode()} values={rates()} count={3} testid="rule-rate" hint={t('adminDist.rules.ratesHint')}
        onMode={(m) => { setMode(m); setRates(['', '', '']); }} onValue={(i, v) => setRates((prev) => prev.map((x, j) => (j === i ? v : x)))} />
      <Show when={action.error()}>{(m) => <p class="alert" role="alert" data-testid="rule-error">{m()}</p>}</Show>
      <div class="actions">
        <button type="submit" class="button primary compact" disabled={action.busy()} data-testid="rule-save">{t('common.save')}</button>
        <Show when={props.onCancel}><button type="button" class="button compact" onClick={() => props.onCancel?.()}>{t('common.cancel')}</button></Show>
      </div>
    </form>
  );
}
