import { createEffect, createSignal, on } from 'solid-js';
import { CursorListView } from '~/components/CursorList';
import { DistributorPage } from '~/components/Distribution';
import { Avatar, ButtonTabs, EmptyNote } from '~/components/DistributionParts';
import { api, queryString } from '~/lib/api';
import { createCursorList, type CursorPage } from '~/lib/cursor-list';
import { formatFen, formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { DistributorMe, TeamMember } from '~/lib/types';

const LEVELS = ['1', '2', '3'] as const;
type Level = (typeof LEVELS)[number];

/** My team by level (D4, D10): who joined below me, their sales and recruits, "load more". */
export default function TeamPage() {
  const { t } = useI18n();
  return <DistributorPage title={t('dist.nav.team')} testid="team-page">{(me) => <Team me={me()} />}</DistributorPage>;
}

function Team(props: { me: DistributorMe }) {
  const { t, lang } = useI18n();
  const [level, setLevel] = createSignal<Level>('1');
  const list = createCursorList((cursor) => api.get<CursorPage<TeamMember>>(`/api/distribution/team${queryString({ level: level(), cursor })}`));
  createEffect(on(level, () => void list.reload()));
  const count = (l: Level) => props.me.team[`level${l}`];
  return (
    <>
      <ButtonTabs tabs={LEVELS} active={level()} testid="team-tab" onChange={setLevel}
        label={(l) => t('dist.teamLevel', { n: l, count: count(l) })} />
      <CursorListView list={list} testid="team" empty={<EmptyNote text={t('dist.teamEmpty')} testid="team-empty" />}>
        {(member) => (
          <li class="card person-row" data-testid="team-member">
            <Avatar src={member.avatar} name={member.nickname || member.shopName} small />
            <div class="line-main">
              <strong data-testid="team-member-shop">{member.shopName}</strong>
              <p class="muted small">{member.nickname ?? ''} · {t('dist.joinedAt', { time: formatTime(lang(), member.joinedAt) })}</p>
            </div>
            <div class="person-figures small">
              <span>{t('dist.sales', { amount: formatFen(member.sales) })}</span>
              <span class="muted">{t('dist.recruits', { n: member.recruits })}</span>
            </div>
          </li>
        )}
      </CursorListView>
    </>
  );
}
