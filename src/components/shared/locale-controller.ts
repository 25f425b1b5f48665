/**
 * Gives an element its language: its own `locale` or `lang` attribute, then the nearest `lang` in the page (across
 * shadow roots), then the browser's languages. Follows changes of the page's `lang` while connected and loads each
 * catalogue only when first used.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { chooseLocale, englishMessages, loadMessages, translate, type Locale, type MessageKey, type Messages } from '../../core/i18n.ts';

export class LocaleController implements ReactiveController {
  locale: Locale = 'en';
  /** The BCP 47 tag for Intl formatting (keeps the page's region, e.g. `de-CH`). */
  tag = 'en';
  /** English with the element's own messages, when they do not ship in `kassa.js` (`en-parts.ts`). */
  private readonly english: Messages;
  private messages: Messages;
  private observer: MutationObserver | undefined;
  private key = '';
  /** Set while the chosen language could not load (offline): back online, it is tried again. */
  private onOnline: (() => void) | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement & { locale?: string },
    englishParts?: Partial<Messages>,
  ) {
    this.english = englishParts ? { ...englishMessages, ...englishParts } : englishMessages;
    this.messages = this.english;
    host.addController(this);
  }

  hostConnected(): void {
    this.observer = new MutationObserver(() => this.resolve());
    this.observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    this.resolve();
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    if (this.onOnline) window.removeEventListener('online', this.onOnline);
    this.onOnline = undefined;
  }

  /** Before each update: the element's own attributes may have changed. */
  hostUpdate(): void {
    this.resolve();
  }

  t(key: MessageKey, params?: Record<string, string | number>): string {
    return translate(this.messages, key, params);
  }

  private resolve(): void {
    const chosen = chooseLocale([
      // An element with a `locale` property: the property (current before Lit reflects it, and already set from
      // the attribute); otherwise the attribute.
      'locale' in this.host ? this.host.locale : this.host.getAttribute('locale'),
      this.host.getAttribute('lang'),
      nearestLang(this.host),
      document.documentElement.lang,
      ...(navigator.languages ?? [navigator.language]),
    ]);
    const key = `${chosen.locale}|${chosen.tag}`;
    if (key === this.key) return;
    this.key = key;
    this.tag = chosen.tag;
    void loadMessages(chosen.locale).then((messages) => {
      if (this.key !== key) return; // a newer choice won
      this.locale = chosen.locale;
      this.messages = messages === englishMessages ? this.english : messages;
      this.host.requestUpdate();
      if (messages === englishMessages && chosen.locale !== 'en') this.retryWhenOnline();
    });
  }

  /** Shows English meanwhile (never a missing text), and loads the chosen language once the network is back. */
  private retryWhenOnline(): void {
    if (this.onOnline) return;
    this.onOnline = () => {
      this.onOnline = undefined;
      this.key = '';
      this.host.requestUpdate();
    };
    window.addEventListener('online', this.onOnline, { once: true });
  }
}

/** The `lang` of the closest ancestor that has one, crossing shadow-root boundaries. */
function nearestLang(element: Element): string | undefined {
  let node: Node | null = element.parentNode;
  while (node) {
    if (node instanceof Element && node.hasAttribute('lang')) return node.getAttribute('lang') ?? undefined;
    node = node instanceof ShadowRoot ? node.host : node.parentNode;
  }
  return undefined;
}
