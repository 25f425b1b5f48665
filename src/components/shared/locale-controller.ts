/**
 * Gives an element its language: its own `locale` or `lang` attribute, then the nearest `lang` in the page (across
 * shadow roots), then the browser's languages. Follows changes of the page's `lang` and of the merchant's registered
 * messages while connected, and loads each catalogue only when first used. `dir` is the direction of the language
 * shown, for the element's root container: an Arabic element on a left-to-right page mirrors, an English one on a
 * right-to-left page does not.
 */
import { isServer, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { chooseLocale, direction, englishMessages, loadMessages, messageWatchers, serverMessages, translate, type MessageKey, type Messages } from '../../core/i18n.ts';

export class LocaleController implements ReactiveController {
  /** The chosen catalogue (`sv`, `pt-BR`, or a language the merchant added). */
  locale = 'en';
  /** The BCP 47 tag for Intl formatting (keeps the page's region, e.g. `de-CH`). */
  tag = 'en';
  /** The writing direction of the words shown (English's while the chosen language cannot load). */
  dir: 'ltr' | 'rtl' = 'ltr';
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
    messageWatchers.add(this.reload);
    this.resolve();
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    messageWatchers.delete(this.reload);
    if (this.onOnline) window.removeEventListener('online', this.onOnline);
    this.onOnline = undefined;
  }

  /**
   * Before each update: the element's own attributes may have changed. Lit's server renderer skips controllers'
   * hostUpdate, so the elements call it from `willUpdate` there.
   */
  hostUpdate(): void {
    this.resolve();
  }

  t(key: MessageKey, params?: Record<string, string | number>): string {
    return translate(this.messages, key, params);
  }

  private resolve(): void {
    if (isServer) return void Object.assign(this, serverLanguage(this.host, this.english));
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
    loadMessages(chosen.locale).then(
      (messages) => this.show(key, chosen.locale, { ...this.english, ...messages }),
      () => {
        // Offline, say: English meanwhile (never a missing text), and the chosen language once the network is back.
        this.show(key, chosen.locale, this.english, 'en');
        this.retryWhenOnline();
      },
    );
  }

  private show(key: string, locale: string, messages: Messages, shown = locale): void {
    if (this.key !== key) return; // a newer choice won
    this.locale = locale;
    this.dir = direction(shown);
    this.messages = messages;
    this.host.requestUpdate();
  }

  /** Chooses and loads again: registered messages changed (and may have added a language). */
  private readonly reload = (): void => {
    this.key = '';
    this.host.requestUpdate();
  };

  private retryWhenOnline(): void {
    if (this.onOnline) return;
    this.onOnline = () => {
      this.onOnline = undefined;
      this.reload();
    };
    window.addEventListener('online', this.onOnline, { once: true });
  }
}

/**
 * The language an element shows when rendered on a server, which sees neither the page nor the browser: the element's
 * own `locale` or `lang` decides, in a catalogue the server loaded beforehand (`loadLanguage`); English otherwise.
 * A function, not a method, so the browser's bundle leaves it out.
 */
function serverLanguage(host: HTMLElement & { locale?: string }, english: Messages) {
  const chosen = chooseLocale(['locale' in host ? host.locale : host.getAttribute('locale'), host.getAttribute('lang')]);
  const messages = chosen.locale === 'en' ? undefined : serverMessages(chosen.locale);
  const locale = messages ? chosen.locale : 'en';
  return { key: `${chosen.locale}|${chosen.tag}`, tag: chosen.tag, locale, dir: direction(locale), messages: messages ? { ...english, ...messages } : english };
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
