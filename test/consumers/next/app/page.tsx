import { Checkout } from './checkout';

export default function Home() {
  return (
    <main>
      <h1>Checkout</h1>
      <Checkout />
    </main>
  );
}
