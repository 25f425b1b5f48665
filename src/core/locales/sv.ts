import type { Messages } from './en.ts';

/** Swedish. */
const messages: Messages = {
  // Shared
  'common.loading': 'Hämtar betalsätt…',
  'common.retry': 'Försök igen',
  'common.cancel': 'Avbryt',
  'common.close': 'Stäng',

  // kassa-method-picker
  'picker.label': 'Betalsätt',
  'picker.empty': 'Det finns inget betalsätt för den här beställningen.',
  'picker.group.card': 'Kort',
  'picker.group.wallet': 'Digitala plånböcker',
  'picker.group.bank': 'Bankbetalning',
  'picker.group.invoice': 'Faktura',
  'picker.group.installments': 'Delbetalning',
  'picker.group.mobile': 'Mobilbetalning',
  'picker.group.health': 'Friskvårdskonton',
  'picker.group.other': 'Andra betalsätt',
  'picker.provider.hero': 'Hero',
  'picker.provider.milkypay': 'MilkyPay',
  'picker.provider.hidirect': 'hi.health',
  'picker.provider.whenthen': 'WhenThen',
  'picker.provider.kronor': 'Kronor',
  'picker.logoAlt': 'Logotyp för {name}',

  // kassa-method-fields
  'fields.legend': 'Uppgifter för {method}',
  'fields.required': 'Obligatoriskt',
  'fields.error.required': 'Fyll i {field}.',
  'fields.error.pattern': '{field} verkar inte stämma.',
  'fields.error.tooLong': 'För många tecken i {field}.',
  'fields.phone': 'Mobilnummer',
  'fields.phone.hint': 'Numret som din Swish-app använder, t.ex. 0701234567',
  'fields.phone.error': 'Ange ett svenskt mobilnummer, t.ex. 0701234567.',
  'fields.companyName': 'Företagsnamn',
  'fields.addressLine1': 'Gatuadress',
  'fields.postalCode': 'Postnummer',
  'fields.city': 'Ort',
  'fields.email': 'E-post',
  'fields.email.error': 'Ange en e-postadress, t.ex. namn@exempel.se.',
  'fields.phoneNumber': 'Telefonnummer',

  // kassa-checkout
  'checkout.title': 'Betalning',
  'checkout.pay': 'Betala {amount}',
  'checkout.paying': 'Startar betalningen…',
  'checkout.choose': 'Välj ett betalsätt för att fortsätta.',
  'checkout.total': 'Totalt',
  'checkout.error.kronor': 'Betalningen kunde inte startas. Försök igen.',

  // kassa-redirect
  'redirect.going': 'Skickar dig vidare till {provider} för betalning…',
  'redirect.continue': 'Fortsätt till betalning',
  'redirect.notice': 'Om inget händer, använd knappen.',
  'redirect.unsafe': 'Betalningen kan inte fortsätta: betalsidans adress är inte betrodd.',
  'redirect.goingGeneric': 'Skickar dig vidare till betalsidan…',

  // kassa-qr
  'qr.title': 'Skanna för att betala',
  'qr.instructions': 'Öppna {app} i mobilen och skanna koden.',
  'qr.openApp': 'Öppna {app}',
  'qr.expiresIn': 'Går ut om {time}',
  'qr.expired': 'Koden har gått ut.',
  'qr.alt': 'QR-kod för betalning med {app}',
  'qr.appFallback': 'din betalapp',

  // kassa-status
  'status.created': 'Betalningen är skapad.',
  'status.action_required': 'Väntar på att du slutför betalningen.',
  'status.pending': 'Väntar på att betalningen bekräftas…',
  'status.processing': 'Betalningen behandlas…',
  'status.authorized': 'Betalningen är godkänd.',
  'status.paid': 'Betalningen är klar. Tack!',
  'status.failed': 'Betalningen misslyckades.',
  'status.declined': 'Betalningen nekades.',
  'status.cancelled': 'Betalningen avbröts.',
  'status.expired': 'Betalningen har gått ut.',
  'status.refunded': 'Betalningen har återbetalats.',
  'status.partially_refunded': 'Betalningen har delvis återbetalats.',
  'status.unknown': 'Vi hittade inte betalningen.',
  'status.reconnecting': 'Anslutningen bröts – försöker igen…',
  'status.checking': 'Kontrollerar betalningens status…',

  // Problems from the endpoint
  'error.invalid-body': 'Något i förfrågan blev fel. Försök igen.',
  'error.unsupported-media-type': 'Något i förfrågan blev fel. Försök igen.',
  'error.body-too-large': 'Något i förfrågan blev fel. Försök igen.',
  'error.idempotency-key-required': 'Något i förfrågan blev fel. Försök igen.',
  'error.idempotency-conflict': 'Betalningen har redan startats med andra uppgifter. Börja om.',
  'error.invalid-token': 'Din kassasession har gått ut. Börja om.',
  'error.token-mismatch': 'Din beställning har ändrats. Starta betalningen igen.',
  'error.origin-not-allowed': 'Butiken kan inte ta emot betalningar just nu.',
  'error.order-not-found': 'Vi hittade inte din beställning.',
  'error.order-refused': 'Beställningen kan inte betalas just nu.',
  'error.unknown-method': 'Det här betalsättet är inte tillgängligt för din beställning.',
  'error.invalid-fields': 'Kontrollera uppgifterna du har fyllt i.',
  'error.payment-not-found': 'Vi hittade inte betalningen.',
  'error.not-found': 'Butiken kan inte ta emot betalningar just nu.',
  'error.method-not-allowed': 'Butiken kan inte ta emot betalningar just nu.',
  'error.unknown-provider': 'Butiken kan inte ta emot betalningar just nu.',
  'error.webhook-invalid': 'Butiken kan inte ta emot betalningar just nu.',
  'error.rate-limited': 'För många försök. Vänta en minut och försök igen.',
  'error.provider-refused': 'Betalleverantören godkände inte betalningen.',
  'error.provider-unavailable': 'Betalleverantören svarar inte. Försök igen om en stund.',
  'error.unsafe-redirect': 'Betalningen kan inte fortsätta: betalsidans adress är inte betrodd.',
  'error.internal': 'Något gick fel hos oss. Försök igen.',
  'error.network': 'Vi kunde inte nå butiken. Kontrollera din anslutning och försök igen.',
  'error.generic': 'Något gick fel. Försök igen.',
};

export default messages;
