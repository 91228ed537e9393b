import { createContext, createSignal, useContext, type ParentProps } from 'solid-js';
import { api } from './api';
import type { Cart } from './types';

/**
 * The number of pieces in the buyer's cart, for the header badge. Unknown (undefined) for a
 * guest and before the first load; pages that change the cart set it from what they know.
 */
function createCartCount() {
  const [count, setCount] = createSignal<number | undefined>(undefined);
  let generation = 0;
  return {
    count,
    set(n: number | undefined) {
      generation++;
      setCount(n);
    },
    /** Quietly reloads from GET /api/cart; a guest (401) or an error shows no badge. */
    async refresh() {
      const mine = ++generation;
      try {
        const cart = await api.get<Cart>('/api/cart');
        if (mine === generation) setCount(piecesIn(cart));
      } catch {
        if (mine === generation) setCount(undefined);
      }
    },
  };
}

export const piecesIn = (cart: Pick<Cart, 'items'>): number => cart.items.reduce((n, item) => n + item.quantity, 0);

export type CartCount = ReturnType<typeof createCartCount>;

const CartCountContext = createContext<CartCount>();

export function CartCountProvider(props: ParentProps) {
  return <CartCountContext.Provider value={createCartCount()}>{props.children}</CartCountContext.Provider>;
}

export function useCartCount(): CartCount {
  const value = useContext(CartCountContext);
  if (!value) throw new Error('useCartCount outside <CartCountProvider>');
  return value;
}
