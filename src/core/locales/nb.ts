import type { Messages } from './en.ts';

/** Norwegian Bokmål. */
const messages: Messages = {
  // Shared
  'common.loading': 'Henter betalingsmåter…',
  'common.retry': 'Prøv igjen',
  'common.cancel': 'Avbryt',
  'common.close': 'Lukk',

  // kassa-method-picker
  'picker.label': 'Betalingsmåte',
  'picker.empty': 'Ingen betalingsmåter er tilgjengelige for denne bestillingen.',
  'picker.group.card': 'Kort',
  'picker.group.wallet': 'Digitale lommebøker',
  'picker.group.bank': 'Bankbetaling',
  'picker.group.invoice': 'Faktura',
  'picker.group.installments': 'Delbetaling',
  'picker.group.mobile': 'Mobilbetaling',
  'picker.group.health': 'Helsekontoer',
  'picker.group.other': 'Andre betalingsmåter',
  'picker.provider.hero': 'Hero',
  'picker.provider.milkypay': 'MilkyPay',
  'picker.provider.hidirect': 'hi.health',
  'picker.provider.whenthen': 'WhenThen',
  'picker.provider.kronor': 'Kronor',
  'picker.logoAlt': 'Logo for {name}',

  // kassa-method-fields
  'fields.legend': 'Opplysninger for {method}',
  'fields.required': 'Påkrevd',
  'fields.error.required': 'Fyll inn {field}.',
  'fields.error.pattern': '{field} ser ikke riktig ut.',
  'fields.error.tooLong': 'For mange tegn i {field}.',
  'fields.phone': 'Mobilnummer',
  'fields.phone.hint': 'Nummeret Swish-appen din bruker, f.eks. 0701234567',
  'fields.phone.error': 'Skriv inn et svensk mobilnummer, f.eks. 0701234567.',
  'fields.companyName': 'Firmanavn',
  'fields.addressLine1': 'Gateadresse',
  'fields.postalCode': 'Postnummer',
  'fields.city': 'Poststed',
  'fields.email': 'E-post',
  'fields.email.error': 'Skriv inn en e-postadresse, f.eks. navn@eksempel.no.',
  'fields.phoneNumber': 'Telefonnummer',

  // kassa-checkout
  'checkout.title': 'Betaling',
  'checkout.pay': 'Betal {amount}',
  'checkout.paying': 'Starter betalingen…',
  'checkout.choose': 'Velg en betalingsmåte for å fortsette.',
  'checkout.total': 'Totalt',
  'checkout.error.kronor': 'Betalingen kunne ikke startes. Prøv igjen.',

  // kassa-redirect
  'redirect.going': 'Sender deg videre til {provider} for betaling…',
  'redirect.continue': 'Gå videre til betaling',
  'redirect.notice': 'Hvis ingenting skjer, bruk knappen.',
  'redirect.unsafe': 'Betalingen kan ikke fortsette: adressen til betalingssiden er ikke klarert.',
  'redirect.goingGeneric': 'Sender deg videre til betalingssiden…',

  // kassa-qr
  'qr.title': 'Skann for å betale',
  'qr.instructions': 'Åpne {app} på telefonen og skann koden.',
  'qr.openApp': 'Åpne {app}',
  'qr.expiresIn': 'Utløper om {time}',
  'qr.expired': 'Koden har utløpt.',
  'qr.alt': 'QR-kode for betaling med {app}',
  'qr.appFallback': 'betalingsappen din',

  // kassa-status
  'status.created': 'Betalingen er opprettet.',
  'status.action_required': 'Venter på at du fullfører betalingen.',
  'status.pending': 'Venter på at betalingen blir bekreftet…',
  'status.processing': 'Behandler betalingen…',
  'status.authorized': 'Betalingen er godkjent.',
  'status.paid': 'Betalingen er fullført. Takk!',
  'status.failed': 'Betalingen mislyktes.',
  'status.declined': 'Betalingen ble avvist.',
  'status.cancelled': 'Betalingen ble avbrutt.',
  'status.expired': 'Betalingen har utløpt.',
  'status.refunded': 'Betalingen er refundert.',
  'status.partially_refunded': 'Betalingen er delvis refundert.',
  'status.unknown': 'Vi fant ikke denne betalingen.',
  'status.reconnecting': 'Mistet forbindelsen – sjekker på nytt…',
  'status.checking': 'Sjekker status for betalingen…',

  // Problems from the endpoint
  'error.invalid-body': 'Noe i forespørselen var feil. Prøv igjen.',
  'error.unsupported-media-type': 'Noe i forespørselen var feil. Prøv igjen.',
  'error.body-too-large': 'Noe i forespørselen var feil. Prøv igjen.',
  'error.idempotency-key-required': 'Noe i forespørselen var feil. Prøv igjen.',
  'error.idempotency-conflict': 'Betalingen er allerede startet med andre opplysninger. Start på nytt.',
  'error.invalid-token': 'Økten din har utløpt. Start på nytt.',
  'error.token-mismatch': 'Bestillingen din er endret. Start betalingen på nytt.',
  'error.origin-not-allowed': 'Butikken kan ikke ta imot betalinger akkurat nå.',
  'error.order-not-found': 'Vi fant ikke bestillingen din.',
  'error.order-refused': 'Bestillingen kan ikke betales akkurat nå.',
  'error.unknown-method': 'Denne betalingsmåten er ikke tilgjengelig for bestillingen din.',
  'error.invalid-fields': 'Sjekk opplysningene du har fylt inn.',
  'error.payment-not-found': 'Vi fant ikke denne betalingen.',
  'error.not-found': 'Butikken kan ikke ta imot betalinger akkurat nå.',
  'error.method-not-allowed': 'Butikken kan ikke ta imot betalinger akkurat nå.',
  'error.unknown-provider': 'Butikken kan ikke ta imot betalinger akkurat nå.',
  'error.webhook-invalid': 'Butikken kan ikke ta imot betalinger akkurat nå.',
  'error.rate-limited': 'For mange forsøk. Vent et minutt og prøv igjen.',
  'error.provider-refused': 'Betalingsleverandøren godtok ikke betalingen.',
  'error.provider-unavailable': 'Betalingsleverandøren svarer ikke. Prøv igjen om litt.',
  'error.unsafe-redirect': 'Betalingen kan ikke fortsette: adressen til betalingssiden er ikke klarert.',
  'error.internal': 'Noe gikk galt hos oss. Prøv igjen.',
  'error.network': 'Vi fikk ikke kontakt med butikken. Sjekk tilkoblingen og prøv igjen.',
  'error.generic': 'Noe gikk galt. Prøv igjen.',
};

export default messages;
