import type { Messages } from './en.ts';

/** Finnish. */
const messages: Messages = {
  // Shared
  'common.loading': 'Ladataan maksutapoja…',
  'common.retry': 'Yritä uudelleen',
  'common.cancel': 'Peruuta',
  'common.close': 'Sulje',

  // kassa-method-picker
  'picker.label': 'Maksutapa',
  'picker.empty': 'Tälle tilaukselle ei ole saatavilla maksutapoja.',
  'picker.group.card': 'Kortit',
  'picker.group.wallet': 'Mobiililompakot',
  'picker.group.bank': 'Verkkopankki',
  'picker.group.invoice': 'Lasku',
  'picker.group.installments': 'Osamaksu',
  'picker.group.mobile': 'Mobiilimaksu',
  'picker.group.health': 'Terveystilit',
  'picker.group.other': 'Muut maksutavat',
  'picker.provider.hero': 'Hero',
  'picker.provider.milkypay': 'MilkyPay',
  'picker.provider.hidirect': 'hi.health',
  'picker.provider.whenthen': 'WhenThen',
  'picker.provider.kronor': 'Kronor',
  'picker.logoAlt': '{name}-logo',

  // kassa-method-fields
  'fields.legend': 'Maksutavan {method} tiedot',
  'fields.required': 'Pakollinen',
  'fields.error.required': '{field} puuttuu.',
  'fields.error.pattern': '{field} ei näytä oikealta.',
  'fields.error.tooLong': '{field} on liian pitkä.',
  'fields.phone': 'Matkapuhelinnumero',
  'fields.phone.hint': 'Numero, jota Swish-sovelluksesi käyttää, esim. 0701234567',
  'fields.phone.error': 'Anna ruotsalainen matkapuhelinnumero, esim. 0701234567.',
  'fields.companyName': 'Yrityksen nimi',
  'fields.addressLine1': 'Katuosoite',
  'fields.postalCode': 'Postinumero',
  'fields.city': 'Postitoimipaikka',
  'fields.email': 'Sähköposti',
  'fields.email.error': 'Anna sähköpostiosoite, esim. nimi@esimerkki.fi.',
  'fields.phoneNumber': 'Puhelinnumero',

  // kassa-checkout
  'checkout.title': 'Maksu',
  'checkout.pay': 'Maksa {amount}',
  'checkout.paying': 'Aloitetaan maksua…',
  'checkout.choose': 'Valitse maksutapa jatkaaksesi.',
  'checkout.total': 'Yhteensä',
  'checkout.error.kronor': 'Maksua ei voitu aloittaa. Yritä uudelleen.',

  // kassa-redirect
  'redirect.going': 'Siirrytään palveluun {provider} maksamaan…',
  'redirect.continue': 'Jatka maksamaan',
  'redirect.notice': 'Jos mitään ei tapahdu, käytä painiketta.',
  'redirect.unsafe': 'Maksua ei voi jatkaa: maksusivun osoite ei ole luotettu.',
  'redirect.goingGeneric': 'Siirrytään maksusivulle…',

  // kassa-qr
  'qr.title': 'Skannaa ja maksa',
  'qr.instructions': 'Avaa {app} puhelimessasi ja skannaa koodi.',
  'qr.openApp': 'Avaa {app}',
  'qr.expiresIn': 'Vanhenee {time} kuluttua',
  'qr.expired': 'Koodi on vanhentunut.',
  'qr.alt': 'QR-koodi maksamiseen ({app})',
  'qr.appFallback': 'maksusovellus',

  // kassa-status
  'status.created': 'Maksu on luotu.',
  'status.action_required': 'Odotetaan, että viimeistelet maksun.',
  'status.pending': 'Odotetaan maksun vahvistusta…',
  'status.processing': 'Maksua käsitellään…',
  'status.authorized': 'Maksu on hyväksytty.',
  'status.paid': 'Maksu on valmis. Kiitos!',
  'status.failed': 'Maksu epäonnistui.',
  'status.declined': 'Maksu hylättiin.',
  'status.cancelled': 'Maksu peruttiin.',
  'status.expired': 'Maksu vanhentui.',
  'status.refunded': 'Maksu on palautettu.',
  'status.partially_refunded': 'Maksu on palautettu osittain.',
  'status.unknown': 'Maksua ei löytynyt.',
  'status.reconnecting': 'Yhteys katkesi – tarkistetaan uudelleen…',
  'status.checking': 'Tarkistetaan maksun tilaa…',

  // Problems from the endpoint
  'error.invalid-body': 'Pyynnössä oli jotain vialla. Yritä uudelleen.',
  'error.unsupported-media-type': 'Pyynnössä oli jotain vialla. Yritä uudelleen.',
  'error.body-too-large': 'Pyynnössä oli jotain vialla. Yritä uudelleen.',
  'error.idempotency-key-required': 'Pyynnössä oli jotain vialla. Yritä uudelleen.',
  'error.idempotency-conflict': 'Tämä maksu on jo aloitettu eri tiedoilla. Aloita alusta.',
  'error.invalid-token': 'Kassaistuntosi on vanhentunut. Aloita alusta.',
  'error.token-mismatch': 'Tilauksesi on muuttunut. Aloita maksu uudelleen.',
  'error.origin-not-allowed': 'Kauppa ei voi ottaa vastaan maksuja juuri nyt.',
  'error.order-not-found': 'Tilaustasi ei löytynyt.',
  'error.order-refused': 'Tätä tilausta ei voi maksaa juuri nyt.',
  'error.unknown-method': 'Tämä maksutapa ei ole käytettävissä tilauksellesi.',
  'error.invalid-fields': 'Tarkista antamasi tiedot.',
  'error.payment-not-found': 'Maksua ei löytynyt.',
  'error.not-found': 'Kauppa ei voi ottaa vastaan maksuja juuri nyt.',
  'error.method-not-allowed': 'Kauppa ei voi ottaa vastaan maksuja juuri nyt.',
  'error.unknown-provider': 'Kauppa ei voi ottaa vastaan maksuja juuri nyt.',
  'error.webhook-invalid': 'Kauppa ei voi ottaa vastaan maksuja juuri nyt.',
  'error.rate-limited': 'Liian monta yritystä. Odota hetki ja yritä uudelleen.',
  'error.provider-refused': 'Maksupalvelu ei hyväksynyt maksua.',
  'error.provider-unavailable': 'Maksupalvelu ei vastaa. Yritä hetken kuluttua uudelleen.',
  'error.unsafe-redirect': 'Maksua ei voi jatkaa: maksusivun osoite ei ole luotettu.',
  'error.internal': 'Meillä meni jotain vikaan. Yritä uudelleen.',
  'error.network': 'Kauppaan ei saatu yhteyttä. Tarkista yhteytesi ja yritä uudelleen.',
  'error.generic': 'Jokin meni vikaan. Yritä uudelleen.',
};

export default messages;
