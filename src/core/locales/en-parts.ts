/**
 * The English of the elements that load after the first paint — the fields, redirect, QR and status elements — kept
 * out of `kassa.js`: each of those elements brings it with its own code. See `en.ts`.
 */
const enParts = {
  // kassa-method-fields
  'fields.legend': 'Details for {method}',
  'fields.required': 'Required',
  'fields.error.required': 'Please fill this in.',
  'fields.error.pattern': 'This does not look right. Please check it.',
  'fields.error.tooLong': 'This is too long.',
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
  'fields.blikCode': 'BLIK code',
  'fields.blikCode.hint': '6 digits from your banking app',
  'fields.blikCode.error': 'Enter the 6-digit BLIK code from your banking app.',
  'fields.phoneNumber.required': 'Enter your phone number.',
  'fields.companyName.required': 'Enter the company name.',
  'fields.addressLine1.required': 'Enter the street address.',
  'fields.postalCode.required': 'Enter the postal code.',
  'fields.city.required': 'Enter the city.',
  'fields.example': 'e.g. {example}',

  // kassa-redirect
  'redirect.going': 'Taking you to {provider} to pay…',
  'redirect.continue': 'Continue to payment',
  'redirect.notice': 'If nothing happens, use the button.',
  'redirect.goingGeneric': 'Taking you to the payment page…',

  // kassa-qr
  'qr.title': 'Scan to pay',
  'qr.instructions': 'Scan the code with {app} on your phone.',
  'qr.instructionsAnyApp': 'Scan the code with your payment app on your phone.',
  'qr.approve': 'Approve the payment in {app}.',
  'qr.approveAnyApp': 'Approve the payment in your payment app.',
  'qr.openApp': 'Open {app}',
  'qr.openAppHere': 'Open {app} on this device',
  'qr.showCode': 'Paying on another device? Show the QR code',
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
  'status.declined': 'The payment was declined.',
  'status.cancelled': 'The payment was cancelled.',
  'status.expired': 'The payment expired.',
  'status.refunded': 'The payment was refunded.',
  'status.partially_refunded': 'The payment was partly refunded.',
  'status.unknown': 'We could not find this payment.',
  'status.reconnecting': 'Connection lost; checking again…',
  'status.checking': 'Checking the payment status…',
  'status.nextDeclined': 'No money was taken. Try another card or payment method.',
  'status.nextCancelled': 'Nothing was charged. You can choose another payment method.',
  'status.nextExpired': 'The time to approve it ran out. Nothing was charged.',
  'status.nextFailed': 'Nothing was charged. Please try again or choose another payment method.',
  'status.offline': 'You are offline. We will update this when you are back online.',
  'status.backOnline': 'Back online.',
} as const;

export default enParts;
