/**
 * The hosted pages' fixed words in the languages the simulated providers serve: English everywhere, Swedish where
 * a provider serves Sweden (Kronor, and the card and wallet pages), German where it serves Germany (hi.health,
 * WhenThen, MilkyPay). A page speaks the language the provider was told (Kronor's session `language`) or, as a
 * real hosted page does, the browser's `Accept-Language`; English otherwise.
 */
export const PAGE_LANGUAGES = ['en', 'sv', 'de'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

export interface PageWords {
  sandboxNotice: (provider: string) => string;
  merchant: string;
  amount: string;
  pay: string;
  approve: string;
  decline: string;
  cancel: string;
  backToShop: string;
}

export const PAGE_WORDS: Record<PageLanguage, PageWords> = {
  en: {
    sandboxNotice: (provider) => `${provider} sandbox — no real money moves.`,
    merchant: 'Merchant',
    amount: 'Amount',
    pay: 'Pay',
    approve: 'Approve',
    decline: 'Decline',
    cancel: 'Cancel',
    backToShop: 'Back to the shop',
  },
  sv: {
    sandboxNotice: (provider) => `${provider} sandlåda — inga riktiga pengar flyttas.`,
    merchant: 'Butik',
    amount: 'Belopp',
    pay: 'Betala',
    approve: 'Godkänn',
    decline: 'Neka',
    cancel: 'Avbryt',
    backToShop: 'Tillbaka till butiken',
  },
  de: {
    sandboxNotice: (provider) => `${provider}-Sandbox — es fließt kein echtes Geld.`,
    merchant: 'Händler',
    amount: 'Betrag',
    pay: 'Bezahlen',
    approve: 'Bestätigen',
    decline: 'Ablehnen',
    cancel: 'Abbrechen',
    backToShop: 'Zurück zum Shop',
  },
};

/**
 * The first of `preferred` (language tags, best first: `sv-SE`, `SV`, an `Accept-Language` header's entries) that
 * the provider's pages speak; English when none is.
 */
export function pageLanguage(preferred: ReadonlyArray<string | null | undefined>, served: readonly PageLanguage[] = PAGE_LANGUAGES): PageLanguage {
  for (const tag of preferred) {
    const base = tag?.trim().toLowerCase().split(/[-_;]/)[0];
    const found = served.find((language) => language === base);
    if (found) return found;
  }
  return 'en';
}

/** An `Accept-Language` header's tags, in the order the browser gave them (its q-values are rarely out of order). */
export function acceptedLanguages(header: string | undefined): string[] {
  return (header ?? '').split(',').map((part) => part.split(';')[0]!.trim()).filter(Boolean);
}
