import { createSignal, onMount, Show } from 'solid-js';
import { can } from '~/components/AdminFrame';
import { CursorListView } from '~/components/CursorList';
import { DistributionAdminPage } from '~/components/DistributionAdmin';
import { EditDeleteActions } from '~/components/DistributionAdminParts';
import { EmptyNote } from '~/components/DistributionParts';
import { RadioChips } from '~/components/RadioChips';
import { parseRuleInputs, RuleInputs, ruleInputText } from '~/components/RuleInputs';
import { api } from '~/lib/api';
import { createCursorList, wholeList } from '~/lib/cursor-list';
import { rateText } from '~/lib/distribution';
import { createAction } from '~/lib/form';
import { fenToYuanText, formatFen, parseCount, parseYuan } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { CommissionRule, DistributorGrade } from '~/lib/types';

/**
 * D6: distributor grades. A grade is reached when its conditions hold (all, or any) — sales, team
 * size, direct recruits — and never lost; its own rates replace the shop's default for its holders.
 */
export default function AdminGrades() {
  const { t } = useI18n();
  return (
    <DistributionAdminPage title={t('adminDist.grades.title')} tab="grades" permission="distributors.view">
      {(me) => <Grades canManage={can(me().staff, 'distributors.manage')} />}
    </DistributionAdminPage>
  );
}

function Grades(props: { canManage: boolean }) {
  const { t } = useI18n();
  const list = createCursorList(async () => wholeList((await api.get<{ grades: DistributorGrade[] }>('/api/admin/distribution/grades')).grades));
  onMount(() => void list.reload());
  return (
    <>
      <h1>{t('adminDist.grades.title')}</h1>
      <p class="muted small">{t('adminDist.grades.hint')}</p>
      <Show when={props.canManage}>
        <GradeForm onSaved={() => void list.reload()} />
      </Show>
      <CursorListView list={list} testid="grades" empty={<EmptyNote text={t('adminDist.grades.empty')} testid="grades-empty" />}>
        {(g) => <GradeRow grade={g} canManage={props.canManage} onChanged={() => void list.reload()} />}
      </CursorListView>
    </>
  );
}

function GradeRow(props: { grade: DistributorGrade; canManage: boolean; onChanged: () => void }) {
  const { t } = useI18n();
  const [editing, setEditing] = createSignal(false);
  const g = () => props.grade;
  const conditions = () => [
    g().minSales !== null ? t('adminDist.grades.minSalesIs', { amount: formatFen(g().minSales ?? 0) }) : '',
    g().minTeam !== null ? t('adminDist.grades.minTeamIs', { n: g().minTeam ?? 0 }) : '',
    g().minDirect !== null ? t('adminDist.grades.minDirectIs', { n: g().minDirect ?? 0 }) : '',
  ].filter(Boolean);
  return (
    <li class="card" data-testid="grade" data-id={g().id}>
      <Show when={!editing()} fallback={<GradeForm grade={g()} onSaved={() => { setEditing(false); props.onChanged(); }} onCancel={() => setEditing(false)} />}>
        <div class="card-head">
          <strong data-testid="grade-name">{g().name}</strong>
          <span class="badge">{t('adminDist.grades.rankIs', { n: g().rank })}</span>
        </div>
        <p class="small">
          {conditions().length ? conditions().join(g().match === 'all' ? t('adminDist.grades.and') : t('adminDist.grades.or')) : t('adminDist.grades.byHand')}
        </p>
        <p class="small">
          {g().rates ? t('adminDist.grades.ratesAre', { rates: (g().rates as CommissionRule).levels.map((v) => rateText((g().rates as CommissionRule).mode, v, t('dist.perPiece'))).join(' / ') }) : t('adminDist.grades.defaultRates')}
          {' · '}{t('adminDist.grades.holders', { n: g().holders })}
        </p>
        <Show when={props.canManage}>
          <EditDeleteActions testid="grade" deletePath={`/api/admin/distribution/grades/${encodeURIComponent(g().id)}`}
            confirm={t('adminDist.grades.confirmDelete', { name: g().name })} onEdit={() => setEditing(true)} onDeleted={props.onChanged} />
        </Show>
      </Show>
    </li>
  );
}

/** New grade (no `grade`) or an edit of one. Money in yuan, counts as whole numbers; blank = no condition. */
function GradeForm(props: { grade?: DistributorGrade; onSaved: () => void; onCancel?: () => void }) {
  const { t } = useI18n();
  const g = props.grade;
  const [name, setName] = createSignal(g?.name ?? '');
  const [rank, setRank] = createSignal(g ? String(g.rank) : '');
  const [minSales, setMinSales] = createSignal(g?.minSales === null || g === undefined ? '' : fenToYuanText(g.minSales));
  const [minTeam, setMinTeam] = createSignal(g?.minTeam === null || g === undefined ? '' : String(g.minTeam));
  const [minDirect, setMinDirect] = createSignal(g?.minDirect === null || g === undefined ? '' : String(g.minDirect));
  const [match, setMatch] = createSignal<'all' | 'any'>(g?.match ?? 'all');
  const [ownRates, setOwnRates] = createSignal(!!g?.rates);
  const [mode, setMode] = createSignal<CommissionRule['mode']>(g?.rates?.mode ?? 'bps');
  const [rates, setRates] = createSignal<string[]>([0, 1, 2].map((i) => (g?.rates ? ruleInputText(g.rates.mode, g.rates.levels[i]) : '')));
  const action = createAction();
  const prefix = g ? `grade-${g.id}` : 'grade-new';

  function save(e: SubmitEvent) {
    e.preventDefault();
    const rankValue = parseCount(rank());
    const sales = minSales().trim() ? parseYuan(minSales()) : null;
    const team = minTeam().trim() ? parseCount(minTeam()) : null;
    const direct = minDirect().trim() ? parseCount(minDirect()) : null;
    const rule = ownRates() ? parseRuleInputs(mode(), rates()) : null;
    if (!name().trim()) return action.setError(t('adminDist.grades.nameRequired'));
    if (rankValue === undefined || rankValue < 1 || rankValue > 100) return action.setError(t('adminDist.grades.rankInvalid'));
    if (sales === undefined || team === undefined || direct === undefined) return action.setError(t('adminDist.grades.conditionInvalid'));
    if (rule === undefined) return action.setError(t('adminDist.settings.percentInvalid'));
    const body = { name: name().trim(), rank: rankValue, minSales: sales, minTeam: team, minDirect: direct, match: match(), rates: rule ? { mode: mode(), levels: rule } : null };
    void action.run(async () => {
      if (g) await api.patch(`/api/admin/distribution/grades/${encodeURIComponent(g.id)}`, body);
      else await api.post('/api/admin/distribution/grades', body);
      if (!g) { setName(''); setRank(''); setMinSales(''); setMinTeam(''); setMinDirect(''); setOwnRates(false); }
      props.onSaved();
    });
  }

  return (
    <form class={g ? 'form' : 'card form'} noValidate onSubmit={save} data-testid={g ? 'grade-form' : 'grade-new'}>
      <Show when={!g}><h2>{t('adminDist.grades.new')}</h2></Show>
      <div class="grid2">
        <div class="field"><label for={`${prefix}-name`}>{t('adminDist.grades.name')}</label>
          <input id={`${prefix}-name`} class="input" maxLength={30} value={name()} data-testid="grade-name-input" onInput={(e) => setName(e.currentTarget.value)} /></div>
        <div class="field"><label for={`${prefix}-rank`}>{t('adminDist.grades.rank')}</label>
          <input id={`${prefix}-rank`} class="input" inputmode="numeric" value={rank()} data-testid="grade-rank" onInput={(e) => setRank(e.currentTarget.value)} /></div>
      </div>
      <div class="grid3">
        <div class="field"><label for={`${prefix}-sales`}>{t('adminDist.grades.minSales')}</label>
          <input id={`${prefix}-sales`} class="input" inputmode="decimal" value={minSales()} data-testid="grade-min-sales" onInput={(e) => setMinSales(e.currentTarget.value)} /></div>
        <div class="field"><label for={`${prefix}-team`}>{t('adminDist.grades.minTeam')}</label>
          <input id={`${prefix}-team`} class="input" inputmode="numeric" value={minTeam()} data-testid="grade-min-team" onInput={(e) => setMinTeam(e.currentTarget.value)} /></div>
        <div class="field"><label for={`${prefix}-direct`}>{t('adminDist.grades.minDirect')}</label>
          <input id={`${prefix}-direct`} class="input" inputmode="numeric" value={minDirect()} data-testid="grade-min-direct" onInput={(e) => setMinDirect(e.currentTarget.value)} /></div>
      </div>
      <RadioChips name={`${prefix}-match`} options={['all', 'any'] as const} value={match()} testid="grade-match" label={(m) => t(`adminDist.grades.match.${m}`)} onChange={setMatch} />
      <label class="check"><input type="checkbox" checked={ownRates()} data-testid="grade-own-rates" onChange={(e) => setOwnRates(e.currentTarget.checked)} />{t('adminDist.grades.ownRates')}</label>
      <Show when={ownRates()}>
        <RuleInputs mode={mode()} values={rates()} count={3} testid={`${prefix}-rate`}
          onMode={(m) => { setMode(m); setRates(['', '', '']); }} onValue={(i, v) => setRates((prev) => prev.map((x, j) => (j === i ? v : x)))} />
      </Show>
      <Show when={action.error()}>{(m) => <p class="alert" role="alert" data-testid="grade-error">{m()}</p>}</Show>
      <div class="actions">
        <button type="submit" class="button primary compact" disabled={action.busy()} data-testid="grade-save">{g ? t('common.save') : t('adminDist.grades.create')}</button>
        <Show when={props.onCancel}><button type="button" class="button compact" onClick={() => props.onCancel?.()}>{t('common.cancel')}</button></Show>
      </div>
    </form>
  );
}
