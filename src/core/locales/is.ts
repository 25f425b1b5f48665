import type { Messages } from './en.ts';

/** Icelandic. */
const messages: Messages = {
  // Shared
  'common.loading': 'Sæki greiðsluleiðir…',
  'common.retry': 'Reyna aftur',
  'common.cancel': 'Hætta við',
  'common.close': 'Loka',

  // kassa-method-picker
  'picker.label': 'Greiðsluleið',
  'picker.empty': 'Engin greiðsluleið er í boði fyrir þessa pöntun.',
  'picker.group.card': 'Kort',
  'picker.group.wallet': 'Rafræn veski',
  'picker.group.bank': 'Bankagreiðslur',
  'picker.group.invoice': 'Reikningur',
  'picker.group.installments': 'Greiða með afborgunum',
  'picker.group.mobile': 'Farsímagreiðslur',
  'picker.group.health': 'Heilsureikningar',
  'picker.group.other': 'Aðrar greiðsluleiðir',
  'picker.provider.hero': 'Hero',
  'picker.provider.milkypay': 'MilkyPay',
  'picker.provider.hidirect': 'hi.health',
  'picker.provider.whenthen': 'WhenThen',
  'picker.provider.kronor': 'Kronor',
  'picker.logoAlt': 'Merki {name}',

  // kassa-method-fields
  'fields.legend': 'Upplýsingar fyrir {method}',
  'fields.required': 'Nauðsynlegt',
  'fields.error.required': 'Fylltu út reitinn {field}.',
  'fields.error.pattern': 'Athugaðu reitinn {field}.',
  'fields.error.tooLong': 'Of margir stafir í reitnum {field}.',
  'fields.phone': 'Farsímanúmer',
  'fields.phone.hint': 'Númerið sem Swish-appið þitt notar, t.d. 0701234567',
  'fields.phone.error': 'Sláðu inn sænskt farsímanúmer, t.d. 0701234567.',
  'fields.companyName': 'Heiti fyrirtækis',
  'fields.addressLine1': 'Heimilisfang',
  'fields.postalCode': 'Póstnúmer',
  'fields.city': 'Staður',
  'fields.email': 'Netfang',
  'fields.email.error': 'Sláðu inn netfang, t.d. nafn@daemi.is.',
  'fields.phoneNumber': 'Símanúmer',

  // kassa-checkout
  'checkout.title': 'Greiðsla',
  'checkout.pay': 'Greiða {amount}',
  'checkout.paying': 'Greiðsla að hefjast…',
  'checkout.choose': 'Veldu greiðsluleið til að halda áfram.',
  'checkout.total': 'Samtals',
  'checkout.error.kronor': 'Ekki tókst að hefja greiðsluna. Reyndu aftur.',

  // kassa-redirect
  'redirect.going': 'Við sendum þig á {provider} til að greiða…',
  'redirect.continue': 'Halda áfram í greiðslu',
  'redirect.notice': 'Ef ekkert gerist skaltu nota hnappinn.',
  'redirect.unsafe': 'Ekki er hægt að halda áfram með greiðsluna: slóð greiðslusíðunnar er ekki traust.',
  'redirect.goingGeneric': 'Við sendum þig á greiðslusíðuna…',

  // kassa-qr
  'qr.title': 'Skannaðu til að greiða',
  'qr.instructions': 'Opnaðu {app} í símanum og skannaðu kóðann.',
  'qr.openApp': 'Opna {app}',
  'qr.expiresIn': 'Rennur út eftir {time}',
  'qr.expired': 'Kóðinn er útrunninn.',
  'qr.alt': 'QR-kóði til greiðslu ({app})',
  'qr.appFallback': 'greiðsluappið þitt',

  // kassa-status
  'status.created': 'Greiðsla stofnuð.',
  'status.action_required': 'Bíð eftir að þú ljúkir greiðslunni.',
  'status.pending': 'Bíð eftir staðfestingu á greiðslunni…',
  'status.processing': 'Greiðslan er í vinnslu…',
  'status.authorized': 'Greiðslan var samþykkt.',
  'status.paid': 'Greiðslu lokið. Takk fyrir!',
  'status.failed': 'Greiðslan mistókst.',
  'status.declined': 'Greiðslunni var hafnað.',
  'status.cancelled': 'Hætt var við greiðsluna.',
  'status.expired': 'Greiðslan rann út.',
  'status.refunded': 'Greiðslan var endurgreidd.',
  'status.partially_refunded': 'Greiðslan var endurgreidd að hluta.',
  'status.unknown': 'Við fundum ekki þessa greiðslu.',
  'status.reconnecting': 'Tengingin rofnaði – athuga aftur…',
  'status.checking': 'Athuga stöðu greiðslunnar…',

  // Problems from the endpoint
  'error.invalid-body': 'Eitthvað var athugavert við beiðnina. Reyndu aftur.',
  'error.unsupported-media-type': 'Eitthvað var athugavert við beiðnina. Reyndu aftur.',
  'error.body-too-large': 'Eitthvað var athugavert við beiðnina. Reyndu aftur.',
  'error.idempotency-key-required': 'Eitthvað var athugavert við beiðnina. Reyndu aftur.',
  'error.idempotency-conflict': 'Þessi greiðsla var þegar hafin með öðrum upplýsingum. Byrjaðu upp á nýtt.',
  'error.invalid-token': 'Lotan þín er útrunnin. Byrjaðu upp á nýtt.',
  'error.token-mismatch': 'Pöntunin þín breyttist. Byrjaðu greiðsluna aftur.',
  'error.origin-not-allowed': 'Verslunin getur ekki tekið við greiðslum í augnablikinu.',
  'error.order-not-found': 'Við fundum ekki pöntunina þína.',
  'error.order-refused': 'Ekki er hægt að greiða þessa pöntun í augnablikinu.',
  'error.unknown-method': 'Þessi greiðsluleið er ekki í boði fyrir pöntunina þína.',
  'error.invalid-fields': 'Athugaðu upplýsingarnar sem þú slóst inn.',
  'error.payment-not-found': 'Við fundum ekki þessa greiðslu.',
  'error.not-found': 'Verslunin getur ekki tekið við greiðslum í augnablikinu.',
  'error.method-not-allowed': 'Verslunin getur ekki tekið við greiðslum í augnablikinu.',
  'error.unknown-provider': 'Verslunin getur ekki tekið við greiðslum í augnablikinu.',
  'error.webhook-invalid': 'Verslunin getur ekki tekið við greiðslum í augnablikinu.',
  'error.rate-limited': 'Of margar tilraunir. Bíddu í mínútu og reyndu aftur.',
  'error.provider-refused': 'Greiðsluþjónustan samþykkti ekki greiðsluna.',
  'error.provider-unavailable': 'Greiðsluþjónustan svarar ekki. Reyndu aftur eftir smástund.',
  'error.unsafe-redirect': 'Ekki er hægt að halda áfram með greiðsluna: slóð greiðslusíðunnar er ekki traust.',
  'error.internal': 'Eitthvað fór úrskeiðis hjá okkur. Reyndu aftur.',
  'error.network': 'Ekki náðist samband við verslunina. Athugaðu tenginguna og reyndu aftur.',
  'error.generic': 'Eitthvað fór úrskeiðis. Reyndu aftur.',
};

export default messages;
