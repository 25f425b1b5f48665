/**
 * English, the reference catalogue: every other locale translates these keys (a test checks each has them all).
 * `{name}` marks a value filled in at run time. Kept short: shoppers scan, they do not read.
 */
const en = {
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
  'picker.logoAlt': '{name} logo',

  // kassa-method-fields
  'fields.legend': 'Details for {method}',
  'fields.required': 'Required',
  'fields.error.required': 'Please fill in {field}.',
  'fields.error.pattern': '{field} does not look right.',
  'fields.error.tooLong': '{field} is too long.',
  'fields.phone': 'Mobile number',
  'fields.phone.hint': 'The number your Swish app uses, e.g. 0701234567',
  'fields.phone.error': 'Enter a Swedish mobile number, e.g. 0701234567.',
  'fields.companyName': 'Company name',
  'fields.addressLine1': 'Street address',
  'fields.postalCode': 'Postal code',
  'fields.city': 'City',
  'fields.email': 'Email',
  'fields.email.error': 'Enter an email address, e.g. name@example.com.',
  'fields.phoneNumber': 'Phone number',

  // kassa-checkout
  'checkout.title': 'Payment',
  'checkout.pay': 'Pay {amount}',
  'checkout.paying': 'Starting payment…',
  'checkout.choose': 'Choose a payment method to continue.',
  'checkout.total': 'Total',
  'checkout.error.kronor': 'The payment could not be started. Please try again.',

  // kassa-redirect
  'redirect.going': 'Taking you to {provider} to pay…',
  'redirect.continue': 'Continue to payment',
  'redirect.notice': 'If nothing happens, use the button.',
  'redirect.unsafe': 'This payment cannot continue: the payment page address is not trusted.',
  'redirect.goingGeneric': 'Taking you to the payment page…',

  // kassa-qr
  'qr.title': 'Scan to pay',
  'qr.instructions': 'Open {app} on your phone and scan the code.',
  'qr.openApp': 'Open {app}',
  'qr.expiresIn': 'Expires in {time}',
  'qr.expired': 'The code has expired.',
  'qr.alt': 'QR code for paying with {app}',
  'qr.appFallback': 'your payment app',

  // kassa-status
  'status.created': 'Payment created.',
  'status.action_required': 'Waiting for you to finish the payment.',
  'status.pending': 'Waiting for the payment to be confirmed…',
  'status.processing': 'Processing the payment…',
  'status.authorized': 'Payment approved.',
  'status.paid': 'Payment complete. Thank you!',
  'status.failed': 'The payment failed.',
  'status.declined': 'The payment was declined.',
  'status.cancelled': 'The payment was cancelled.',
  'status.expired': 'The payment expired.',
  'status.refunded': 'The payment was refunded.',
  'status.partially_refunded': 'The payment was partly refunded.',
  'status.unknown': 'We could not find this payment.',
  'status.reconnecting': 'Connection lost; checking again…',
  'status.checking': 'Checking the payment status…',

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

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
export default en satisfies Messages;
