/** Kassa's elements in a React 19 component, typed by `kassa/jsx`. Compiled, never run. */
import type {} from 'kassa/jsx';
import type { KassaCheckout, PaymentMethod } from 'kassa';
import { useRef } from 'react';

export function Checkout({ order, methods }: { order: string; methods: PaymentMethod[] }) {
  const checkout = useRef<KassaCheckout>(null);
  return (
    <>
      <kassa-checkout
        ref={checkout}
        className="checkout"
        endpoint="/kassa"
        order={order}
        group-by="provider"
        locale="sv"
        navigate={(url) => console.log(url.length)}
        onkassa-method-change={(event) => console.log(event.method.id)}
        onkassa-complete={(event) => console.log(event.payment.reference)}
        onkassa-error={(event) => console.log(event.code, event.message)}
      />
      <kassa-method-picker methods={methods} value="kronor:swish" group-by="kind" disabled={false} onChange={(event) => console.log(event.currentTarget.value)} />
      <kassa-method-fields method={methods[0]} values={{ phone: '0701234567' }} />
      <kassa-redirect auto={false} provider-name="MilkyPay" allowedHosts={['pay.example']} />
      <kassa-qr data="D0123" deep-link="swish://paymentrequest?token=0123" app="Swish" expires-at="2030-01-01T00:00:00Z" />
      <kassa-status endpoint="/kassa" reference="kp_1" onkassa-fail={(event) => console.log(event.payment.state)} />
      {/* @ts-expect-error `disabled` is a boolean, not a string */}
      <kassa-method-picker disabled="yes" />
      {/* @ts-expect-error `kassa-complete` carries the payment, not an error code */}
      <kassa-status onkassa-complete={(event) => console.log(event.code)} />
      {/* @ts-expect-error `methods` is a list of methods */}
      <kassa-method-picker methods="kronor:swish" />
    </>
  );
}
