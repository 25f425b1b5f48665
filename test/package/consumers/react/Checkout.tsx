/**
 * Kassa's elements in a React 19 component, typed by `kassa/jsx`. Each line marked `must fail` has to be refused by
 * tsc, and no other line may be (test/package/consumers.test.ts).
 */
import 'kassa/define';
import type {} from 'kassa/jsx';
import type { KassaCompleteEvent, PaymentMethod } from 'kassa';

export function Checkout({ order, methods, onPaid }: { order: string; methods: PaymentMethod[]; onPaid: (event: KassaCompleteEvent) => void }) {
  return (
    <>
      <kassa-checkout
        endpoint="/kassa"
        order={order}
        group-by="provider"
        locale="sv"
        navigate={(url) => location.assign(url)}
        onkassa-method-change={(event) => console.info(event.method.id)}
        onkassa-complete={onPaid}
        onkassa-error={(event) => console.info(event.code, event.message)}
      />
      <kassa-method-picker methods={methods} value="kronor:swish" group-by="kind" />
      <kassa-status endpoint="/kassa" reference="kp_1" onkassa-fail={(event) => console.info(event.payment.state)} />
      <kassa-checkout navigate={42} /> {/* must fail: navigate is a function */}
      <kassa-checkout endpont="/kassa" /> {/* must fail: misspelled attribute */}
      <kassa-chekout endpoint="/kassa" /> {/* must fail: misspelled tag */}
      <kassa-status onkassa-complete={(event) => console.info(event.payment.referense)} /> {/* must fail: no such field */}
      <kassa-status onkassa-error={onPaid} /> {/* must fail: an error event carries no payment */}
      <kassa-method-picker group-by="method" /> {/* must fail: only kind or provider */}
      <kassa-checkout group-by="method" /> {/* must fail: only kind or provider */}
      <kassa-qr expired /> {/* must fail: the element sets expired itself */}
      <kassa-method-picker methods="kronor:swish" /> {/* must fail: methods is a list */}
    </>
  );
}
