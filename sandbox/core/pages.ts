/**
 * The HTML of every hosted page in the sandbox: merchant, amount and the shopper's choices as plain forms.
 * No script, so the pages work under any Content-Security-Policy and in any test browser.
 */
import { escapeHtml } from './http.ts';
import { PAGE_WORDS, type PageLanguage } from './language.ts';
import { formatAmount } from './money.ts';
import type { Outcome } from './outcomes.ts';

export interface Choice {
  outcome: Outcome;
  label: string;
}

/** Pay, Decline and Cancel in the page's language. */
export function defaultChoices(lang: PageLanguage = 'en'): Choice[] {
  const words = PAGE_WORDS[lang];
  return [
    { outcome: 'pay', label: words.pay },
    { outcome: 'decline', label: words.decline },
    { outcome: 'cancel', label: words.cancel },
  ];
}


export const DEFAULT_CHOICES: Choice[] = defaultChoices('en');

export interface HostedPage {
  /** The provider's name as a shopper sees it, e.g. "Hero" or "Swish". */
  provider: string;
  title: string;
  merchant: string;
  amountMinor: number;
  currency: string;
  /** Where the form posts the chosen outcome. */
  action: string;
  choices?: Choice[];
  /** Extra lines shown above the buttons (the payment type, the phone number waiting for approval …). */
  details?: Array<[label: string, value: string]>;
  /** Extra hidden fields to carry through the form post. */
  hidden?: Record<string, string>;
  /** The language of the page's own words (the caller's title and details are given in it); English by default. */
  lang?: PageLanguage;
}

export function renderHostedPage(page: HostedPage): string {
  const lang = page.lang ?? 'en';
  const words = PAGE_WORDS[lang];
  const choices = page.choices ?? defaultChoices(lang);
  const details = (page.details ?? [])
    .map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('');
  const hidden = Object.entries(page.hidden ?? {})
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  const buttons = choices
    .map((c) => `<button type="submit" name="outcome" value="${escapeHtml(c.outcome)}">${escapeHtml(c.label)}</button>`)
    .join(' ');
  return layout(
    `${page.provider} — ${page.title}`,
    `<p class="sandbox">${escapeHtml(words.sandboxNotice(page.provider))}</p>
<h1>${escapeHtml(page.title)}</h1>
<dl>
<dt>${escapeHtml(words.merchant)}</dt><dd data-field="merchant">${escapeHtml(page.merchant)}</dd>
<dt>${escapeHtml(words.amount)}</dt><dd data-field="amount">${escapeHtml(formatAmount(page.amountMinor, page.currency))}</dd>
${details}
</dl>
<form method="post" action="${escapeHtml(page.action)}">${hidden}${buttons}</form>`,
    lang,
  );
}

/** A page for a payment that can no longer be acted on (already final, expired token …). */
export function renderMessagePage(provider: string, title: string, message: string, link?: { href: string; label: string }, lang: PageLanguage = 'en'): string {
  const back = link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : '';
  return layout(`${provider} — ${title}`, `<p class="sandbox">${escapeHtml(provider)} sandbox</p>
<h1>${escapeHtml(title)}</h1>
<p role="status">${escapeHtml(message)}</p>${back}`, lang);
}

function layout(title: string, body: string, lang: PageLanguage = 'en'): string {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}
.sandbox{background:#fff4d6;border:1px solid #e0c070;padding:.25rem .5rem;font-size:.85rem}
dt{font-weight:600}dd{margin:0 0 .5rem}
button{font:inherit;padding:.5rem 1rem;margin-right:.5rem;cursor:pointer}
</style></head><body>
${body}
</body></html>`;
}
