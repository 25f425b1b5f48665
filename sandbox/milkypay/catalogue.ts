/**
 * INVENTED: the sandbox account's payment services and methods — what a real MilkyPay account gets configured by
 * MilkyPay. Shapes, field names and units follow the seed's pre-request and payment-services samples (amount limits
 * in decimal major units). `payment_card_usd_hpp` and `test_usd_test` are the seed's own examples.
 *
 * `redirect` is the simulator's choice of how the invoice sends the shopper on: `hpp_url` services answer with an
 * `hpp_url` (and a GET `flow_data`), `form_post` services answer only with a POST `flow_data` whose params must be
 * submitted to the hosted page.
 */
export interface Localized {
  en: string;
  ru: string;
  uk: string;
}

export interface ServiceField {
  key: string;
  type: 'string';
  label: Localized;
  hint: Localized;
  example: string | null;
  regexp: string | null;
  required: boolean;
  position: number;
}

export interface CatalogueService {
  /** The account's payment-service id (`comcps_…`), used by `GET /api/payment-services/{id}`. */
  id: string;
  code: string;
  method: string;
  flow: string;
  currency: string;
  fields: ServiceField[];
  /** Decimal major units, as MilkyPay answers them. */
  amountMin: number;
  amountMax: number;
  redirect: 'hpp_url' | 'form_post';
}

export interface CatalogueMethod {
  code: string;
  category: string;
  description: string;
  name: Localized;
  position: number | null;
  hide: boolean | null;
  /** Colour of the sandbox's own SVG logo. */
  color: string;
}

const PHONE_FIELD: ServiceField = {
  key: 'phone',
  type: 'string',
  label: { en: 'Phone number', ru: 'Номер телефона', uk: 'Номер телефону' },
  hint: {
    en: 'Enter the phone number linked to MB WAY',
    ru: 'Введите номер телефона, привязанный к MB WAY',
    uk: 'Введіть номер телефону, прив’язаний до MB WAY',
  },
  example: '+351912345678',
  regexp: '^\\+351[0-9]{9}$',
  required: true,
  position: 0,
};

const BLIK_CODE_FIELD: ServiceField = {
  key: 'blik_code',
  type: 'string',
  label: { en: 'BLIK code', ru: 'Код BLIK', uk: 'Код BLIK' },
  hint: {
    en: 'Enter the 6-digit code from your banking app',
    ru: 'Введите 6-значный код из банковского приложения',
    uk: 'Введіть 6-значний код із банківського застосунку',
  },
  example: '777123',
  regexp: '^[0-9]{6}$',
  required: true,
  position: 0,
};

/** The seed's `test_usd_test` field, as the seed shows it. */
const TEST_STATUS_FIELD: ServiceField = {
  key: 'status',
  type: 'string',
  label: { ru: 'Статус', en: 'Status', uk: 'Статус' },
  hint: { ru: 'Введите статус', en: 'Enter Status', uk: 'Введіть статус' },
  example: null,
  regexp: '^[a-zA-Z_]*$',
  required: true,
  position: 0,
};

/** INVENTED: the whole catalogue of the sandbox account. */
export const MILKYPAY_CATALOGUE: { methods: CatalogueMethod[]; services: CatalogueService[] } = {
  methods: [
    {
      code: 'payment_card',
      category: 'payment_card',
      description: '',
      name: { en: 'Payment card', ru: 'Платежная карта', uk: 'Платіжна карта' },
      position: 1,
      hide: false,
      color: '#1a4fd6',
    },
    {
      code: 'paypal',
      category: 'ewallet',
      description: '',
      name: { en: 'PayPal', ru: 'PayPal', uk: 'PayPal' },
      position: 2,
      hide: false,
      color: '#003087',
    },
    {
      code: 'mbway',
      category: 'alternative',
      description: '',
      name: { en: 'MB WAY', ru: 'MB WAY', uk: 'MB WAY' },
      position: 3,
      hide: false,
      color: '#d6001c',
    },
    {
      code: 'blik',
      category: 'alternative',
      description: '',
      name: { en: 'BLIK', ru: 'BLIK', uk: 'BLIK' },
      position: 4,
      hide: false,
      color: '#222222',
    },
    {
      code: 'privat24',
      category: 'online_banking',
      description: '',
      name: { en: 'Privat24', ru: 'Приват24', uk: 'Приват24' },
      position: 5,
      hide: false,
      color: '#5aa02c',
    },
    {
      code: 'test',
      category: 'alternative',
      description: '',
      name: { en: 'Test', ru: 'Тест', uk: 'Тест' },
      position: null,
      hide: true,
      color: '#777777',
    },
  ],
  services: [
    { id: 'comcps_Eu7cRdHpp0aXk2Lm', code: 'payment_card_eur_hpp', method: 'payment_card', flow: 'hpp', currency: 'EUR', fields: [], amountMin: 0.5, amountMax: 15000, redirect: 'hpp_url' },
    { id: 'comcps_u1xxlHVw1NyeqmjJ', code: 'payment_card_usd_hpp', method: 'payment_card', flow: 'hpp', currency: 'USD', fields: [], amountMin: 0.01, amountMax: 1000000, redirect: 'hpp_url' },
    { id: 'comcps_Gb9pCardHpp4TnQw', code: 'payment_card_gbp_hpp', method: 'payment_card', flow: 'hpp', currency: 'GBP', fields: [], amountMin: 0.3, amountMax: 10000, redirect: 'hpp_url' },
    { id: 'comcps_Jp5yCardHpp8ZrVe', code: 'payment_card_jpy_hpp', method: 'payment_card', flow: 'hpp', currency: 'JPY', fields: [], amountMin: 50, amountMax: 1000000, redirect: 'hpp_url' },
    { id: 'comcps_Kw3dCardHpp1YsBn', code: 'payment_card_kwd_hpp', method: 'payment_card', flow: 'hpp', currency: 'KWD', fields: [], amountMin: 0.1, amountMax: 3000, redirect: 'hpp_url' },
    { id: 'comcps_Ua2hCardHpp6MwPd', code: 'payment_card_uah_hpp', method: 'payment_card', flow: 'hpp', currency: 'UAH', fields: [], amountMin: 1, amountMax: 100000, redirect: 'hpp_url' },
    { id: 'comcps_Pp4eEurHpp7QkXa', code: 'paypal_eur_hpp', method: 'paypal', flow: 'hpp', currency: 'EUR', fields: [], amountMin: 1, amountMax: 10000, redirect: 'form_post' },
    { id: 'comcps_Pp8uUsdHpp2VnCz', code: 'paypal_usd_hpp', method: 'paypal', flow: 'hpp', currency: 'USD', fields: [], amountMin: 1, amountMax: 10000, redirect: 'form_post' },
    { id: 'comcps_Mb6wEurHpp3HtLs', code: 'mbway_eur_hpp', method: 'mbway', flow: 'hpp', currency: 'EUR', fields: [PHONE_FIELD], amountMin: 0.5, amountMax: 5000, redirect: 'form_post' },
    { id: 'comcps_Bl1kPlnHpp9GfRy', code: 'blik_pln_hpp', method: 'blik', flow: 'hpp', currency: 'PLN', fields: [BLIK_CODE_FIELD], amountMin: 1, amountMax: 5000, redirect: 'hpp_url' },
    { id: 'comcps_Pr2tUahHpp5JdWo', code: 'privat24_uah_hpp', method: 'privat24', flow: 'hpp', currency: 'UAH', fields: [], amountMin: 1, amountMax: 50000, redirect: 'form_post' },
    { id: 'comcps_wQmYGz5RbkcgfdLI', code: 'test_usd_test', method: 'test', flow: 'test', currency: 'USD', fields: [TEST_STATUS_FIELD], amountMin: 0.01, amountMax: 9999999, redirect: 'form_post' },
  ],
};

export function findService(code: string): CatalogueService | undefined {
  return MILKYPAY_CATALOGUE.services.find((s) => s.code === code);
}

export function findServiceById(id: string): CatalogueService | undefined {
  return MILKYPAY_CATALOGUE.services.find((s) => s.id === id);
}

export function findMethod(code: string): CatalogueMethod | undefined {
  return MILKYPAY_CATALOGUE.methods.find((m) => m.code === code);
}

/** The pre-request lists a currency's services whatever the amount (the shopper may pay in another currency). */
export function servicesForCurrency(currency: string): CatalogueService[] {
  return MILKYPAY_CATALOGUE.services.filter((s) => s.currency === currency);
}
