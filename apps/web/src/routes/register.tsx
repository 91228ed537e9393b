import { MemberForm } from '~/components/MemberForm';
import { ShopGate } from '~/components/ShopGate';

/** A buyer's registration at this shop (H5 channel). */
export default function MemberRegister() {
  return <ShopGate>{(shop) => <MemberForm shop={shop} mode="register" />}</ShopGate>;
}
