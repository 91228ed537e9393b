import { AdminPage } from '~/components/AdminPage';
import { NoticeCentre } from '~/components/NoticeCentre';
import { api } from '~/lib/api';
import { createClientData } from '~/lib/client-data';
import { useI18n } from '~/lib/i18n-context';
import type { NoticeList } from '~/lib/types';

/** The shop's notification centre (new paid orders, low stock, refunds). */
export default function AdminNotifications() {
  const { t } = useI18n();
  return (
    <AdminPage title={t('notifications.title')} permission="dashboard.view">
      {() => <Centre />}
    </AdminPage>
  );
}

function Centre() {
  const [data, { reload }] = createClientData(() => api.get<NoticeList>('/api/admin/notifications'));
  return <NoticeCentre data={data()} readPath="/api/admin/notifications/read" reload={reload} />;
}
