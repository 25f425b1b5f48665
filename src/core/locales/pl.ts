import type { Messages } from './en.ts';

/** Polish. */
const messages: Messages = {
  // Shared
  'common.loading': 'Wczytywanie metod płatności…',
  'common.retry': 'Spróbuj ponownie',
  'common.cancel': 'Anuluj',
  'common.close': 'Zamknij',

  // kassa-method-picker
  'picker.label': 'Metoda płatności',
  'picker.empty': 'Dla tego zamówienia nie jest dostępna żadna metoda płatności.',
  'picker.group.card': 'Karty',
  'picker.group.wallet': 'Portfele cyfrowe',
  'picker.group.bank': 'Przelewy bankowe',
  'picker.group.invoice': 'Faktura',
  'picker.group.installments': 'Płatność w ratach',
  'picker.group.mobile': 'Płatności mobilne',
  'picker.group.health': 'Konta zdrowotne',
  'picker.group.other': 'Inne metody',
  'picker.provider.hero': 'Hero',
  'picker.provider.milkypay': 'MilkyPay',
  'picker.provider.hidirect': 'hi.health',
  'picker.provider.whenthen': 'WhenThen',
  'picker.provider.kronor': 'Kronor',
  'picker.logoAlt': 'Logo {name}',

  // kassa-method-fields
  'fields.legend': 'Dane dla metody {method}',
  'fields.required': 'Wymagane',
  'fields.error.required': 'Uzupełnij pole „{field}”.',
  'fields.error.pattern': 'Pole „{field}” wygląda na nieprawidłowe.',
  'fields.error.tooLong': 'Pole „{field}” jest za długie.',
  'fields.phone': 'Numer telefonu komórkowego',
  'fields.phone.hint': 'Numer używany w aplikacji Swish, np. 0701234567',
  'fields.phone.error': 'Podaj szwedzki numer komórkowy, np. 0701234567.',
  'fields.companyName': 'Nazwa firmy',
  'fields.addressLine1': 'Ulica i numer',
  'fields.postalCode': 'Kod pocztowy',
  'fields.city': 'Miejscowość',
  'fields.email': 'E-mail',
  'fields.email.error': 'Podaj adres e-mail, np. imie@przyklad.pl.',
  'fields.phoneNumber': 'Numer telefonu',

  // kassa-checkout
  'checkout.title': 'Płatność',
  'checkout.pay': 'Zapłać {amount}',
  'checkout.paying': 'Rozpoczynanie płatności…',
  'checkout.choose': 'Wybierz metodę płatności, aby kontynuować.',
  'checkout.total': 'Razem',
  'checkout.error.kronor': 'Nie udało się rozpocząć płatności. Spróbuj ponownie.',

  // kassa-redirect
  'redirect.going': 'Przekierowanie do serwisu {provider} w celu zapłaty…',
  'redirect.continue': 'Przejdź do płatności',
  'redirect.notice': 'Jeśli nic się nie dzieje, użyj przycisku.',
  'redirect.unsafe': 'Nie można kontynuować płatności: adres strony płatności nie jest zaufany.',
  'redirect.goingGeneric': 'Przekierowanie na stronę płatności…',

  // kassa-qr
  'qr.title': 'Zeskanuj, aby zapłacić',
  'qr.instructions': 'Otwórz {app} w telefonie i zeskanuj kod.',
  'qr.openApp': 'Otwórz {app}',
  'qr.expiresIn': 'Wygasa za {time}',
  'qr.expired': 'Kod wygasł.',
  'qr.alt': 'Kod QR do płatności przez {app}',
  'qr.appFallback': 'aplikację płatniczą',

  // kassa-status
  'status.created': 'Płatność została utworzona.',
  'status.action_required': 'Czekamy, aż dokończysz płatność.',
  'status.pending': 'Czekamy na potwierdzenie płatności…',
  'status.processing': 'Przetwarzanie płatności…',
  'status.authorized': 'Płatność została zatwierdzona.',
  'status.paid': 'Płatność zakończona. Dziękujemy!',
  'status.failed': 'Płatność nie powiodła się.',
  'status.declined': 'Płatność została odrzucona.',
  'status.cancelled': 'Płatność została anulowana.',
  'status.expired': 'Płatność wygasła.',
  'status.refunded': 'Płatność została zwrócona.',
  'status.partially_refunded': 'Płatność została częściowo zwrócona.',
  'status.unknown': 'Nie znaleźliśmy tej płatności.',
  'status.reconnecting': 'Utracono połączenie – sprawdzamy ponownie…',
  'status.checking': 'Sprawdzanie statusu płatności…',

  // Problems from the endpoint
  'error.invalid-body': 'Coś poszło nie tak z żądaniem. Spróbuj ponownie.',
  'error.unsupported-media-type': 'Coś poszło nie tak z żądaniem. Spróbuj ponownie.',
  'error.body-too-large': 'Coś poszło nie tak z żądaniem. Spróbuj ponownie.',
  'error.idempotency-key-required': 'Coś poszło nie tak z żądaniem. Spróbuj ponownie.',
  'error.idempotency-conflict': 'Ta płatność została już rozpoczęta z innymi danymi. Zacznij od nowa.',
  'error.invalid-token': 'Twoja sesja wygasła. Zacznij od nowa.',
  'error.token-mismatch': 'Twoje zamówienie się zmieniło. Rozpocznij płatność ponownie.',
  'error.origin-not-allowed': 'Ten sklep nie może teraz przyjmować płatności.',
  'error.order-not-found': 'Nie znaleźliśmy Twojego zamówienia.',
  'error.order-refused': 'Tego zamówienia nie można teraz opłacić.',
  'error.unknown-method': 'Ta metoda płatności jest niedostępna dla Twojego zamówienia.',
  'error.invalid-fields': 'Sprawdź wprowadzone dane.',
  'error.payment-not-found': 'Nie znaleźliśmy tej płatności.',
  'error.not-found': 'Ten sklep nie może teraz przyjmować płatności.',
  'error.method-not-allowed': 'Ten sklep nie może teraz przyjmować płatności.',
  'error.unknown-provider': 'Ten sklep nie może teraz przyjmować płatności.',
  'error.webhook-invalid': 'Ten sklep nie może teraz przyjmować płatności.',
  'error.rate-limited': 'Zbyt wiele prób. Odczekaj minutę i spróbuj ponownie.',
  'error.provider-refused': 'Operator płatności nie przyjął tej płatności.',
  'error.provider-unavailable': 'Operator płatności nie odpowiada. Spróbuj ponownie za chwilę.',
  'error.unsafe-redirect': 'Nie można kontynuować płatności: adres strony płatności nie jest zaufany.',
  'error.internal': 'Coś poszło nie tak po naszej stronie. Spróbuj ponownie.',
  'error.network': 'Nie udało się połączyć ze sklepem. Sprawdź połączenie i spróbuj ponownie.',
  'error.generic': 'Coś poszło nie tak. Spróbuj ponownie.',
};

export default messages;
