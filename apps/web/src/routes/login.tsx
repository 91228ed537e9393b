import { MemberForm } from '~/components/MemberForm';
import { ShopGate } from '~/components/ShopGate';

/** A buyer's login at this shop. */
export default function MemberLogin() {
  return <ShopGate>{(shop) => <MemberForm shop={shop} mode="login" />}</ShopGate>;
}
