import type { Accessor } from 'solid-js';
import { NoticeCentre } from '~/components/NoticeCentre';
import { ShopGate } from '~/components/ShopGate';
import { StorePage } from '~/components/StorePage';
import { api } from '~/lib/api';
import { createMemberData } from '~/lib/buyer';
import type { NoticeList, ShopInfo } from '~/lib/types';

/** The buyer's notification centre. */
export default function NotificationsPage() {
  return <ShopGate>{(shop) => <NotificationsView shop={shop} />}</ShopGate>;
}

function NotificationsView(props: { shop: Accessor<ShopInfo> }) {
  const [data, { reload }] = createMemberData(() => api.get<NoticeList>('/api/notifications'));
  return (
    <StorePage title={props.shop().name} narrow>
      <NoticeCentre data={data()} readPath="/api/notifications/read" reload={reload} />
    </StorePage>
  );
}
