import type { Messages } from './en.ts';

/** German. */
const messages: Messages = {
  // Shared
  'common.loading': 'Zahlungsarten werden geladen…',
  'common.retry': 'Erneut versuchen',
  'common.cancel': 'Abbrechen',
  'common.close': 'Schließen',

  // kassa-method-picker
  'picker.label': 'Zahlungsart',
  'picker.empty': 'Für diese Bestellung ist keine Zahlungsart verfügbar.',
  'picker.group.card': 'Karten',
  'picker.group.wallet': 'Wallets',
  'picker.group.bank': 'Banküberweisung',
  'picker.group.invoice': 'Rechnung',
  'picker.group.installments': 'Ratenzahlung',
  'picker.group.mobile': 'Mobile Zahlung',
  'picker.group.health': 'Gesundheitskonten',
  'picker.group.other': 'Weitere Zahlungsarten',
  'picker.provider.hero': 'Hero',
  'picker.provider.milkypay': 'MilkyPay',
  'picker.provider.hidirect': 'hi.health',
  'picker.provider.whenthen': 'WhenThen',
  'picker.provider.kronor': 'Kronor',
  'picker.logoAlt': 'Logo von {name}',

  // kassa-method-fields
  'fields.legend': 'Angaben für {method}',
  'fields.required': 'Pflichtfeld',
  'fields.error.required': 'Bitte {field} angeben.',
  'fields.error.pattern': '{field} scheint nicht zu stimmen.',
  'fields.error.tooLong': '{field} ist zu lang.',
  'fields.phone': 'Handynummer',
  'fields.phone.hint': 'Die Nummer, die Ihre Swish-App verwendet, z. B. 0701234567',
  'fields.phone.error': 'Bitte eine schwedische Handynummer eingeben, z. B. 0701234567.',
  'fields.companyName': 'Firmenname',
  'fields.addressLine1': 'Straße und Hausnummer',
  'fields.postalCode': 'Postleitzahl',
  'fields.city': 'Ort',
  'fields.email': 'E-Mail',
  'fields.email.error': 'Bitte eine E-Mail-Adresse eingeben, z. B. name@beispiel.de.',
  'fields.phoneNumber': 'Telefonnummer',

  // kassa-checkout
  'checkout.title': 'Bezahlung',
  'checkout.pay': '{amount} bezahlen',
  'checkout.paying': 'Zahlung wird gestartet…',
  'checkout.choose': 'Bitte wählen Sie eine Zahlungsart, um fortzufahren.',
  'checkout.total': 'Gesamt',
  'checkout.error.kronor': 'Die Zahlung konnte nicht gestartet werden. Bitte versuchen Sie es erneut.',

  // kassa-redirect
  'redirect.going': 'Sie werden zur Zahlung an {provider} weitergeleitet…',
  'redirect.continue': 'Weiter zur Zahlung',
  'redirect.notice': 'Falls nichts passiert, nutzen Sie bitte die Schaltfläche.',
  'redirect.unsafe': 'Die Zahlung kann nicht fortgesetzt werden: Die Adresse der Zahlungsseite ist nicht vertrauenswürdig.',
  'redirect.goingGeneric': 'Sie werden zur Zahlungsseite weitergeleitet…',

  // kassa-qr
  'qr.title': 'Scannen und bezahlen',
  'qr.instructions': 'Öffnen Sie {app} auf Ihrem Handy und scannen Sie den Code.',
  'qr.openApp': '{app} öffnen',
  'qr.expiresIn': 'Läuft ab in {time}',
  'qr.expired': 'Der Code ist abgelaufen.',
  'qr.alt': 'QR-Code zum Bezahlen mit {app}',
  'qr.appFallback': 'Ihre Bezahl-App',

  // kassa-status
  'status.created': 'Zahlung angelegt.',
  'status.action_required': 'Bitte schließen Sie die Zahlung ab.',
  'status.pending': 'Warten auf Bestätigung der Zahlung…',
  'status.processing': 'Zahlung wird verarbeitet…',
  'status.authorized': 'Zahlung genehmigt.',
  'status.paid': 'Zahlung abgeschlossen. Vielen Dank!',
  'status.failed': 'Die Zahlung ist fehlgeschlagen.',
  'status.declined': 'Die Zahlung wurde abgelehnt.',
  'status.cancelled': 'Die Zahlung wurde abgebrochen.',
  'status.expired': 'Die Zahlung ist abgelaufen.',
  'status.refunded': 'Die Zahlung wurde erstattet.',
  'status.partially_refunded': 'Die Zahlung wurde teilweise erstattet.',
  'status.unknown': 'Wir konnten diese Zahlung nicht finden.',
  'status.reconnecting': 'Verbindung unterbrochen – wird erneut geprüft…',
  'status.checking': 'Zahlungsstatus wird geprüft…',

  // Problems from the endpoint
  'error.invalid-body': 'Bei der Anfrage ist etwas schiefgelaufen. Bitte versuchen Sie es erneut.',
  'error.unsupported-media-type': 'Bei der Anfrage ist etwas schiefgelaufen. Bitte versuchen Sie es erneut.',
  'error.body-too-large': 'Bei der Anfrage ist etwas schiefgelaufen. Bitte versuchen Sie es erneut.',
  'error.idempotency-key-required': 'Bei der Anfrage ist etwas schiefgelaufen. Bitte versuchen Sie es erneut.',
  'error.idempotency-conflict': 'Diese Zahlung wurde bereits mit anderen Angaben gestartet. Bitte beginnen Sie von vorn.',
  'error.invalid-token': 'Ihre Sitzung ist abgelaufen. Bitte beginnen Sie von vorn.',
  'error.token-mismatch': 'Ihre Bestellung hat sich geändert. Bitte starten Sie die Zahlung erneut.',
  'error.origin-not-allowed': 'Dieser Shop kann gerade keine Zahlungen annehmen.',
  'error.order-not-found': 'Wir konnten Ihre Bestellung nicht finden.',
  'error.order-refused': 'Diese Bestellung kann gerade nicht bezahlt werden.',
  'error.unknown-method': 'Diese Zahlungsart ist für Ihre Bestellung nicht verfügbar.',
  'error.invalid-fields': 'Bitte prüfen Sie Ihre Angaben.',
  'error.payment-not-found': 'Wir konnten diese Zahlung nicht finden.',
  'error.not-found': 'Dieser Shop kann gerade keine Zahlungen annehmen.',
  'error.method-not-allowed': 'Dieser Shop kann gerade keine Zahlungen annehmen.',
  'error.unknown-provider': 'Dieser Shop kann gerade keine Zahlungen annehmen.',
  'error.webhook-invalid': 'Dieser Shop kann gerade keine Zahlungen annehmen.',
  'error.rate-limited': 'Zu viele Versuche. Bitte warten Sie eine Minute und versuchen Sie es erneut.',
  'error.provider-refused': 'Der Zahlungsanbieter hat diese Zahlung nicht akzeptiert.',
  'error.provider-unavailable': 'Der Zahlungsanbieter antwortet nicht. Bitte versuchen Sie es gleich noch einmal.',
  'error.unsafe-redirect': 'Die Zahlung kann nicht fortgesetzt werden: Die Adresse der Zahlungsseite ist nicht vertrauenswürdig.',
  'error.internal': 'Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es erneut.',
  'error.network': 'Der Shop ist nicht erreichbar. Bitte prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  'error.generic': 'Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.',
};

export default messages;
