import { A, useParams } from '@solidjs/router';
import { createEffect, createSignal, For, Match, on, Show, Switch } from 'solid-js';
import { can } from '~/components/AdminFrame';
import { CursorListView } from '~/components/CursorList';
import { WalletCards } from '~/components/Distribution';
import { DistributionAdminPage } from '~/components/DistributionAdmin';
import { accountText, AdminCommissionRow, DistributorActions, DistributorLink } from '~/components/DistributionAdminParts';
import { ButtonTabs, EmptyNote, StateBadge } from '~/components/DistributionParts';
import { api, queryString } from '~/lib/api';
import { createClientData, failedError, readyValue } from '~/lib/client-data';
import { createCursorList, type CursorPage } from '~/lib/cursor-list';
import { formatFen, formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { AdminDistributor, AdminDistributorDetail, AdminTeamMember } from '~/lib/types';

/** One distributor (D4, D6, D10): upline, team by level, sales, wallet, recent commissions, and the staff actions. */
export default function AdminDistributorPage() {
  const { t } = useI18n();
  const params = useParams<{ id: string }>();
  return (
    <DistributionAdminPage title={t('adminDist.detail.title')} tab="distributors" permission="distributors.view">
      {(me) => <Show when={params.id} keyed>{(id) => <Detail id={id} canManage={can(me().staff, 'distributors.manage')} />}</Show>}
    </DistributionAdminPage>
  );
}

function Detail(props: { id: string; canManage: boolean }) {
  const { t } = useI18n();
  const [data, { reload }] = createClientData(() => api.get<AdminDistributorDetail>(`/api/admin/distributors/${encodeURIComponent(props.id)}`));
  return (
    <>
      <p class="small"><A href="/admin/distribution">‹ {t('adminDist.distributors.title')}</A></p>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())}>{(e) => <p class="alert">{e().message}</p>}</Match>
        <Match when={readyValue(data())}>{(d) => <DetailView detail={d()} canManage={props.canManage} onChanged={() => void reload()} />}</Match>
      </Switch>
    </>
  );
}

function DetailView(props: { detail: AdminDistributorDetail; canManage: boolean; onChanged: (d: AdminDistributor) => void }) {
  const { t, tOr, lang } = useI18n();
  const d = () => props.detail.distributor;
  return (
    <div data-testid="distributor-detail" data-status={d().status}>
      <section class="card">
        <div class="card-head">
          <h1 data-testid="distributor-detail-shop">{d().shopName}</h1>
          <StateBadge kind="distributor" status={d().status} />
        </div>
        <dl class="facts">
          <dt>{t('adminDist.member')}</dt><dd>{d().nickname ?? ''} ({d().username})</dd>
          <Show when={d().inviteCode}>{(code) => <><dt>{t('dist.inviteCode')}</dt><dd class="mono">{code()}</dd></>}</Show>
          <dt>{t('adminDist.grade')}</dt><dd>{d().grade?.name ?? t('adminDist.noGrade')}</dd>
          <dt>{t('adminDist.applied')}</dt><dd>{formatTime(lang(), d().appliedAt)}</dd>
          <Show when={d().approvedAt}>{(at) => <><dt>{t('adminDist.approved')}</dt><dd>{formatTime(lang(), at())}</dd></>}</Show>
          <Show when={d().applyNote}><dt>{t('dist.applyNote')}</dt><dd class="pre-line">{d().applyNote}</dd></Show>
          <Show when={d().rejectReason}>{(r) => <><dt>{t('adminDist.rejectReason')}</dt><dd>{r()}</dd></>}</Show>
        </dl>
        <DistributorActions distributor={d()} canManage={props.canManage} onChanged={props.onChanged} />
      </section>

      <section class="card">
        <h2>{t('adminDist.upline')}</h2>
        <Show when={props.detail.upline.length > 0} fallback={<p class="muted small" data-testid="distributor-no-upline">{t('adminDist.noUpline')}</p>}>
          <ul class="plain-list" data-testid="distributor-upline">
            <For each={props.detail.upline}>
              {(u) => <li class="small" data-testid="upline-row" data-level={u.level}>{t('adminDist.uplineLevel', { n: u.level })} <DistributorLink id={u.memberId} name={u.nickname} shopName={u.shopName} /></li>}
            </For>
          </ul>
        </Show>
      </section>

      <section class="card">
        <h2>{t('adminDist.income')}</h2>
        <Show when={props.detail.wallet} fallback={<p class="muted small">—</p>}>{(w) => <WalletCards wallet={w()} />}</Show>
        <dl class="facts">
          <dt>{t('adminDist.ownSales')}</dt><dd data-testid="distributor-own-sales">{formatFen(d().ownSales)} · {t('dist.orderCount', { n: d().ownOrders })}</dd>
          <dt>{t('adminDist.teamSales')}</dt><dd>{formatFen(d().teamSales)}</dd>
          <dt>{t('adminDist.customers')}</dt><dd>{props.detail.boundCustomers}</dd>
          <Show when={d().payoutAccount}>
            {(account) => <><dt>{t('adminDist.payoutAccount')}</dt><dd class="small">{accountText(account(), tOr)}</dd></>}
          </Show>
        </dl>
      </section>

      <Team id={d().memberId} detail={props.detail} />

      <section>
        <div class="card-head">
          <h2>{t('adminDist.recentCommissions')}</h2>
          <A href={`/admin/distribution/commissions${queryString({ distributorId: d().memberId })}`} data-testid="distributor-all-commissions">{t('adminDist.allCommissions')} ›</A>
        </div>
        <Show when={props.detail.recentCommissions.length > 0} fallback={<EmptyNote text={t('dist.commissionsEmpty')} testid="distributor-commissions-empty" />}>
          <ul class="plain-list" data-testid="distributor-commissions">
            <For each={props.detail.recentCommissions}>{(c) => <AdminCommissionRow commission={c} />}</For>
          </ul>
        </Show>
      </section>
    </div>
  );
}

const LEVELS = ['1', '2', '3'] as const;

function Team(props: { id: string; detail: AdminDistributorDetail }) {
  const { t, lang } = useI18n();
  const [level, setLevel] = createSignal<(typeof LEVELS)[number]>('1');
  const list = createCursorList((cursor) =>
    (level() === '1' && !cursor
      ? Promise.resolve(props.detail.team.level1)
      : api.get<CursorPage<AdminTeamMember>>(`/api/admin/distributors/${encodeURIComponent(props.id)}/team${queryString({ level: level(), cursor })}`)));
  createEffect(on(level, () => void list.reload()));
  const counts = () => props.detail.team.counts;
  return (
    <section data-testid="distributor-team">
      <h2>{t('adminDist.team')}</h2>
      <ButtonTabs tabs={LEVELS} active={level()} testid="distributor-team-tab" onChange={setLevel}
        label={(l) => t('dist.teamLevel', { n: l, count: counts()[`level${l}`] })} />
      <CursorListView list={list} testid="distributor-team-list" empty={<EmptyNote text={t('dist.teamEmpty')} testid="distributor-team-empty" />}>
        {(m) => (
          <li class="card" data-testid="team-row">
            <div class="card-head">
              <DistributorLink id={m.memberId} name={m.nickname} shopName={m.shopName} />
              <StateBadge kind="distributor" status={m.status} />
            </div>
            <p class="muted small">
              {m.approvedAt ? t('dist.joinedAt', { time: formatTime(lang(), m.approvedAt) }) : ''} · {t('dist.sales', { amount: formatFen(m.ownSales) })} · {t('dist.recruits', { n: m.directCount })}
            </p>
          </li>
        )}
      </CursorListView>
    </section>
  );
}
