/**
 * The English that `kassa.js` carries: what the checkout and the method picker show before anything else loads
 * (and the endpoint's problems). The other elements' English is in `en-parts.ts`, which they load with their own
 * code; `en.ts` is the two together, the reference every other language translates.
 */
const enCheckout = {
  // Shared
  'common.loading': 'Loading payment methods…',
  'common.retry': 'Try again',
  'common.cancel': 'Cancel',
  'common.close': 'Close',

  // kassa-method-picker
  'picker.label': 'Payment method',
  'picker.empty': 'No payment method is available for this order.',
  'picker.group.card': 'Cards',
  'picker.group.wallet': 'Wallets',
  'picker.group.bank': 'Bank payments',
  'picker.group.invoice': 'Invoice',
  'picker.group.installments': 'Pay in instalments',
  'picker.group.mobile': 'Mobile payments',
  'picker.group.health': 'Health accounts',
  'picker.group.other': 'Other methods',
  'picker.provider.hero': 'Hero',
  'picker.provider.milkypay': 'MilkyPay',
  'picker.provider.hidirect': 'hi.health',
  'picker.provider.whenthen': 'WhenThen',
  'picker.provider.kronor': 'Kronor',

  // Method names by type (and variant), in kassa-method-picker and kassa-method-fields; brand names read the same
  // in every language
  'method.card': 'Card',
  'method.paypal': 'PayPal',
  'method.klarna': 'Klarna',
  'method.swish': 'Swish',
  'method.swish.phone': 'Swish with mobile number',
  'method.mobilepay': 'MobilePay',
  'method.vipps': 'Vipps',
  'method.blik': 'BLIK',
  'method.mbway': 'MB WAY',
  'method.p24': 'Przelewy24',
  'method.bank-transfer': 'Bank transfer',
  'method.b2b-pay-later': 'Pay later by invoice',
  'method.b2b-pay-later.full': 'Pay in full',
  'method.b2b-pay-later.instalments': 'Pay in {count} interest-free instalments',
  'method.b2b-pay-later.days': { one: 'Pay in {days} day', other: 'Pay in {days} days' },
  'method.hi-health': 'hi.health – health expenses',

  // kassa-checkout
  'checkout.title': 'Payment',
  'checkout.pay': 'Pay {amount}',
  'checkout.paying': 'Starting payment…',
  'checkout.choose': 'Choose a payment method to continue.',
  'checkout.total': 'Total',
  'checkout.error.kronor': 'The payment could not be started. Please try again.',
  'checkout.contacting': 'Contacting {provider}…',
  'checkout.tryAnother': 'Try another payment method, such as {method}.',
  'checkout.methodUnavailable': 'This payment method is not available right now.',

  // Shown by kassa-checkout itself, under the key of the element whose message it is
  'redirect.unsafe': 'This payment cannot continue: the payment page address is not trusted.',
  'status.failed': 'The payment failed.',
  'status.chooseAnother': 'Choose another payment method',

  // Problems from the endpoint, by problem code (src/core/problems.ts)
  'error.invalid-body': 'Something in the request was not right. Please try again.',
  'error.unsupported-media-type': 'Something in the request was not right. Please try again.',
  'error.body-too-large': 'Something in the request was not right. Please try again.',
  'error.idempotency-key-required': 'Something in the request was not right. Please try again.',
  'error.idempotency-conflict': 'This payment was already started with other details. Please start again.',
  'error.invalid-token': 'Your checkout session has expired. Please start again.',
  'error.token-mismatch': 'Your order changed. Please start the payment again.',
  'error.origin-not-allowed': 'This shop cannot take payments right now.',
  'error.order-not-found': 'We could not find your order.',
  'error.order-refused': 'This order cannot be paid right now.',
  'error.order-already-paid': 'This order is already paid.',
  'error.unknown-method': 'This payment method is not available for your order.',
  'error.invalid-fields': 'Please check the details you entered.',
  'error.payment-not-found': 'We could not find this payment.',
  'error.not-found': 'This shop cannot take payments right now.',
  'error.method-not-allowed': 'This shop cannot take payments right now.',
  'error.unknown-provider': 'This shop cannot take payments right now.',
  'error.webhook-invalid': 'This shop cannot take payments right now.',
  'error.rate-limited': 'Too many attempts. Please wait a minute and try again.',
  'error.provider-refused': 'The payment provider did not accept this payment.',
  'error.provider-unavailable': 'The payment provider is not responding. Please try again in a moment.',
  'error.method-unavailable': 'This payment method is not available right now. Please choose another one.',
  'error.unsafe-redirect': 'This payment cannot continue: the payment page address is not trusted.',
  'error.internal': 'Something went wrong on our side. Please try again.',
  'error.bad-request': 'Something in the request was not right. Please try again.',
  'error.request-timeout': 'Something in the request was not right. Please try again.',
  'error.headers-too-large': 'Something in the request was not right. Please try again.',
  'error.too-many-streams': 'Too many attempts. Please wait a minute and try again.',
  'error.server-busy': 'The shop is busy right now. Please try again in a moment.',
  'error.body-already-parsed': 'This shop cannot take payments right now.',
  'error.expectation-failed': 'Something in the request was not right. Please try again.',
  'error.client-address-unknown': 'This shop cannot take payments right now.',
  'error.operation-not-supported': 'This shop cannot take payments right now.',
  'error.operation-not-allowed': 'This shop cannot take payments right now.',
  'error.forbidden': 'This shop cannot take payments right now.',
  'error.network': 'We could not reach the shop. Check your connection and try again.',
  'error.generic': 'Something went wrong. Please try again.',
} as const;

export default enCheckout;
