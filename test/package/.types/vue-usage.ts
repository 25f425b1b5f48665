/**
 * Kassa's elements as Vue's template type checker (vue-tsc) sees them through `kassa/vue`: a binding is checked
 * against the registered component's `$props`, an `@event` handler against its `$emit`. Compiled, never run.
 */
import type {} from 'kassa/vue';
import type { KassaCompleteEvent, KassaErrorEvent, KassaStatus } from 'kassa';
import type { GlobalComponents } from 'vue';

type TemplateProps<Tag extends keyof GlobalComponents> = InstanceType<GlobalComponents[Tag]>['$props'];
type TemplateEmit<Tag extends keyof GlobalComponents> = InstanceType<GlobalComponents[Tag]>['$emit'];

// <kassa-checkout class="checkout" endpoint="/kassa" order="A-1001" group-by="provider" :navigate="go" />
export const checkout: TemplateProps<'kassa-checkout'> = {
  class: 'checkout',
  endpoint: '/kassa',
  order: 'A-1001',
  groupBy: 'provider',
  navigate: (url: string) => console.log(url),
};

// <kassa-method-picker :methods="[]" value="kronor:swish" group-by="kind" :disabled="false" />
export const picker: TemplateProps<'kassa-method-picker'> = { methods: [], value: 'kronor:swish', groupBy: 'kind', disabled: false };

// <kassa-qr data="D0123" deep-link="swish://…" expires-at="2030-01-01T00:00:00Z" />
export const qr: TemplateProps<'kassa-qr'> = { data: 'D0123', deepLink: 'swish://paymentrequest?token=0123', expiresAt: '2030-01-01T00:00:00Z' };

// @ts-expect-error <kassa-method-picker group-by="method">: only `kind` or `provider`
export const wrongGrouping: TemplateProps<'kassa-method-picker'> = { groupBy: 'method' };

// @ts-expect-error <kassa-status state="paid">: the element sets its state itself
export const setState: TemplateProps<'kassa-status'> = { state: 'paid' };

// <kassa-status @kassa-complete="(event) => …">: the handler receives a KassaCompleteEvent
declare const statusEmit: TemplateEmit<'kassa-status'>;
declare const complete: KassaCompleteEvent;
declare const problem: KassaErrorEvent;
statusEmit('kassa-complete', complete);
statusEmit('kassa-error', problem);
// @ts-expect-error a `kassa-complete` handler gets the payment, never an error
statusEmit('kassa-complete', problem);

// A template ref is the element itself.
export const element: KassaStatus = new (null as unknown as GlobalComponents['kassa-status'])();
