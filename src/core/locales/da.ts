import type { Messages } from './en.ts';

/** Danish. */
const messages: Messages = {
  // Shared
  'common.loading': 'Henter betalingsmetoder…',
  'common.retry': 'Prøv igen',
  'common.cancel': 'Annuller',
  'common.close': 'Luk',

  // kassa-method-picker
  'picker.label': 'Betalingsmetode',
  'picker.empty': 'Der er ingen betalingsmetode til denne ordre.',
  'picker.group.card': 'Kort',
  'picker.group.wallet': 'Digitale tegnebøger',
  'picker.group.bank': 'Bankbetaling',
  'picker.group.invoice': 'Faktura',
  'picker.group.installments': 'Betal i rater',
  'picker.group.mobile': 'Mobilbetaling',
  'picker.group.health': 'Sundhedskonti',
  'picker.group.other': 'Andre metoder',
  'picker.provider.hero': 'Hero',
  'picker.provider.milkypay': 'MilkyPay',
  'picker.provider.hidirect': 'hi.health',
  'picker.provider.whenthen': 'WhenThen',
  'picker.provider.kronor': 'Kronor',
  'picker.logoAlt': 'Logo for {name}',

  // kassa-method-fields
  'fields.legend': 'Oplysninger til {method}',
  'fields.required': 'Påkrævet',
  'fields.error.required': 'Udfyld {field}.',
  'fields.error.pattern': '{field} ser ikke rigtigt ud.',
  'fields.error.tooLong': 'For mange tegn i {field}.',
  'fields.phone': 'Mobilnummer',
  'fields.phone.hint': 'Nummeret, din Swish-app bruger, f.eks. 0701234567',
  'fields.phone.error': 'Indtast et svensk mobilnummer, f.eks. 0701234567.',
  'fields.companyName': 'Firmanavn',
  'fields.addressLine1': 'Adresse',
  'fields.postalCode': 'Postnummer',
  'fields.city': 'By',
  'fields.email': 'E-mail',
  'fields.email.error': 'Indtast en e-mailadresse, f.eks. navn@eksempel.dk.',
  'fields.phoneNumber': 'Telefonnummer',

  // kassa-checkout
  'checkout.title': 'Betaling',
  'checkout.pay': 'Betal {amount}',
  'checkout.paying': 'Starter betalingen…',
  'checkout.choose': 'Vælg en betalingsmetode for at fortsætte.',
  'checkout.total': 'I alt',
  'checkout.error.kronor': 'Betalingen kunne ikke startes. Prøv igen.',

  // kassa-redirect
  'redirect.going': 'Sender dig videre til {provider} for at betale…',
  'redirect.continue': 'Fortsæt til betaling',
  'redirect.notice': 'Sker der ikke noget, så brug knappen.',
  'redirect.unsafe': 'Betalingen kan ikke fortsætte: betalingssidens adresse er ikke godkendt.',
  'redirect.goingGeneric': 'Sender dig videre til betalingssiden…',

  // kassa-qr
  'qr.title': 'Scan for at betale',
  'qr.instructions': 'Åbn {app} på din telefon, og scan koden.',
  'qr.openApp': 'Åbn {app}',
  'qr.expiresIn': 'Udløber om {time}',
  'qr.expired': 'Koden er udløbet.',
  'qr.alt': 'QR-kode til betaling med {app}',
  'qr.appFallback': 'din betalingsapp',

  // kassa-status
  'status.created': 'Betalingen er oprettet.',
  'status.action_required': 'Venter på, at du gennemfører betalingen.',
  'status.pending': 'Venter på, at betalingen bliver bekræftet…',
  'status.processing': 'Behandler betalingen…',
  'status.authorized': 'Betalingen er godkendt.',
  'status.paid': 'Betalingen er gennemført. Tak!',
  'status.failed': 'Betalingen mislykkedes.',
  'status.declined': 'Betalingen blev afvist.',
  'status.cancelled': 'Betalingen blev annulleret.',
  'status.expired': 'Betalingen er udløbet.',
  'status.refunded': 'Betalingen er refunderet.',
  'status.partially_refunded': 'Betalingen er delvist refunderet.',
  'status.unknown': 'Vi kunne ikke finde betalingen.',
  'status.reconnecting': 'Forbindelsen blev afbrudt – prøver igen…',
  'status.checking': 'Tjekker betalingens status…',

  // Problems from the endpoint
  'error.invalid-body': 'Noget i forespørgslen var forkert. Prøv igen.',
  'error.unsupported-media-type': 'Noget i forespørgslen var forkert. Prøv igen.',
  'error.body-too-large': 'Noget i forespørgslen var forkert. Prøv igen.',
  'error.idempotency-key-required': 'Noget i forespørgslen var forkert. Prøv igen.',
  'error.idempotency-conflict': 'Betalingen er allerede startet med andre oplysninger. Start forfra.',
  'error.invalid-token': 'Din session er udløbet. Start forfra.',
  'error.token-mismatch': 'Din ordre er ændret. Start betalingen igen.',
  'error.origin-not-allowed': 'Butikken kan ikke modtage betalinger lige nu.',
  'error.order-not-found': 'Vi kunne ikke finde din ordre.',
  'error.order-refused': 'Ordren kan ikke betales lige nu.',
  'error.unknown-method': 'Denne betalingsmetode er ikke tilgængelig for din ordre.',
  'error.invalid-fields': 'Tjek de oplysninger, du har indtastet.',
  'error.payment-not-found': 'Vi kunne ikke finde betalingen.',
  'error.not-found': 'Butikken kan ikke modtage betalinger lige nu.',
  'error.method-not-allowed': 'Butikken kan ikke modtage betalinger lige nu.',
  'error.unknown-provider': 'Butikken kan ikke modtage betalinger lige nu.',
  'error.webhook-invalid': 'Butikken kan ikke modtage betalinger lige nu.',
  'error.rate-limited': 'For mange forsøg. Vent et minut, og prøv igen.',
  'error.provider-refused': 'Betalingsudbyderen godkendte ikke betalingen.',
  'error.provider-unavailable': 'Betalingsudbyderen svarer ikke. Prøv igen om lidt.',
  'error.unsafe-redirect': 'Betalingen kan ikke fortsætte: betalingssidens adresse er ikke godkendt.',
  'error.internal': 'Der gik noget galt hos os. Prøv igen.',
  'error.network': 'Vi kunne ikke komme i kontakt med butikken. Tjek din forbindelse, og prøv igen.',
  'error.generic': 'Der gik noget galt. Prøv igen.',
};

export default messages;
