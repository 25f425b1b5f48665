/**
 * Kassa's elements in an Angular 21 component with CUSTOM_ELEMENTS_SCHEMA. Each template line marked `must fail`
 * has to be refused by ngc (strict templates), and no other line may be (test/package/consumers.test.ts).
 */
import { Component, CUSTOM_ELEMENTS_SCHEMA, input, output } from '@angular/core';
import type { KassaCompleteEvent, PaymentMethod, PaymentView } from 'kassa';
import 'kassa/define';

@Component({
  selector: 'app-checkout',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <kassa-checkout
      endpoint="/kassa"
      [order]="order()"
      group-by="provider"
      [navigate]="navigate"
      (kassa-complete)="complete($event)"
      (kassa-error)="log($event.code)"
    />
    <kassa-method-picker [methods]="methods()" value="kronor:swish" group-by="kind" />
    <kassa-status endpoint="/kassa" reference="kp_1" (kassa-fail)="log($event.payment.state)" />

    <kassa-status (kassa-complete)="log($event.payment.referense)" /> <!-- must fail: no such field -->
    <kassa-status (kassa-error)="complete($event)" /> <!-- must fail: an error event carries no payment -->
    <kassa-status (kassa-status-change)="log($event.code)" /> <!-- must fail: a status change has no code -->
  `,
})
export class CheckoutComponent {
  readonly order = input.required<string>();
  readonly methods = input<PaymentMethod[]>([]);
  readonly paid = output<PaymentView>();
  readonly navigate = (url: string) => location.assign(url);

  complete(event: KassaCompleteEvent): void {
    this.paid.emit(event.payment);
  }

  log(value: unknown): void {
    console.info(value);
  }
}
