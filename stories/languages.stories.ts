import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import '../src/components/checkout/define.ts';
import '../src/components/status/define.ts';
import { checkout, checkoutArgs, checkoutArgTypes, picker, renderCheckout, type CheckoutArgs } from './support/checkout.ts';
import { SESSIONS, STATES, type Order } from './support/fixtures.ts';
import { ENDPOINT, MockKassa } from './support/network.ts';
import { inShadow } from './support/shadow.ts';

/**
 * The 25 languages Kassa speaks, each with a demo order (in its own currency where the demo has one): the checkout
 * ready to pay, and a paid payment's status; Arabic right to left. The words are written out here, so a catalogue that is not loaded (or a wrong one) fails.
 */
interface Words {
  order: Order;
  total: string;
  pickerLabel: string;
  cards: string;
  pay: string;
  choose: string;
  paid: string;
}

const LANGUAGES: Record<string, Words> = {
  en: { order: 'DEMO-EUR', total: 'Total', pickerLabel: 'Payment method', cards: 'Cards', pay: 'Pay {amount}', choose: 'Choose a payment method to continue.', paid: 'Payment complete. Thank you!' },
  sv: { order: 'DEMO-SEK', total: 'Totalt', pickerLabel: 'Betalsätt', cards: 'Kort', pay: 'Betala {amount}', choose: 'Välj ett betalsätt för att fortsätta.', paid: 'Betalningen är klar. Tack!' },
  da: { order: 'DEMO-DKK', total: 'I alt', pickerLabel: 'Betalingsmetode', cards: 'Kort', pay: 'Betal {amount}', choose: 'Vælg en betalingsmetode for at fortsætte.', paid: 'Betalingen er gennemført. Tak!' },
  nb: { order: 'DEMO-NOK', total: 'Totalt', pickerLabel: 'Betalingsmåte', cards: 'Kort', pay: 'Betal {amount}', choose: 'Velg en betalingsmåte for å fortsette.', paid: 'Betalingen er fullført. Takk!' },
  fi: { order: 'DEMO-EUR', total: 'Yhteensä', pickerLabel: 'Maksutapa', cards: 'Kortit', pay: 'Maksa {amount}', choose: 'Valitse maksutapa jatkaaksesi.', paid: 'Maksu on valmis. Kiitos!' },
  is: { order: 'DEMO-EUR', total: 'Samtals', pickerLabel: 'Greiðsluleið', cards: 'Kort', pay: 'Greiða {amount}', choose: 'Veldu greiðsluleið til að halda áfram.', paid: 'Greiðslu lokið. Takk fyrir!' },
  de: { order: 'DEMO-EUR', total: 'Gesamt', pickerLabel: 'Zahlungsart', cards: 'Karten', pay: '{amount} bezahlen', choose: 'Bitte wählen Sie eine Zahlungsart, um fortzufahren.', paid: 'Zahlung abgeschlossen. Vielen Dank!' },
  fr: { order: 'DEMO-EUR', total: 'Total à payer', pickerLabel: 'Moyen de paiement', cards: 'Cartes', pay: 'Payer {amount}', choose: 'Choisissez un moyen de paiement pour continuer.', paid: 'Paiement effectué. Merci !' },
  pl: { order: 'DEMO-PLN', total: 'Razem', pickerLabel: 'Metoda płatności', cards: 'Karty', pay: 'Zapłać {amount}', choose: 'Wybierz metodę płatności, aby kontynuować.', paid: 'Płatność zakończona. Dziękujemy!' },
  es: { order: 'DEMO-EUR', total: 'Total a pagar', pickerLabel: 'Método de pago', cards: 'Tarjetas', pay: 'Pagar {amount}', choose: 'Elige un método de pago para continuar.', paid: 'Pago completado. ¡Gracias!' },
  it: { order: 'DEMO-EUR', total: 'Totale', pickerLabel: 'Metodo di pagamento', cards: 'Carte', pay: 'Paga {amount}', choose: 'Scegli un metodo di pagamento per continuare.', paid: 'Pagamento completato. Grazie!' },
  nl: { order: 'DEMO-EUR', total: 'Totaal', pickerLabel: 'Betaalmethode', cards: 'Kaarten', pay: 'Betaal {amount}', choose: 'Kies een betaalmethode om verder te gaan.', paid: 'Betaling gelukt. Bedankt!' },
  pt: { order: 'DEMO-EUR', total: 'Total a pagar', pickerLabel: 'Método de pagamento', cards: 'Cartões', pay: 'Pagar {amount}', choose: 'Escolha um método de pagamento para continuar.', paid: 'Pagamento concluído. Obrigado!' },
  'pt-BR': { order: 'DEMO-EUR', total: 'Total a pagar', pickerLabel: 'Forma de pagamento', cards: 'Cartões', pay: 'Pagar {amount}', choose: 'Escolha uma forma de pagamento para continuar.', paid: 'Pagamento concluído. Obrigado!' },
  cs: { order: 'DEMO-EUR', total: 'Celkem', pickerLabel: 'Způsob platby', cards: 'Platební karty', pay: 'Zaplatit {amount}', choose: 'Pro pokračování vyberte způsob platby.', paid: 'Platba proběhla úspěšně. Děkujeme!' },
  sk: { order: 'DEMO-EUR', total: 'Spolu', pickerLabel: 'Spôsob platby', cards: 'Platobné karty', pay: 'Zaplatiť {amount}', choose: 'Ak chcete pokračovať, vyberte spôsob platby.', paid: 'Platba prebehla úspešne. Ďakujeme!' },
  hu: { order: 'DEMO-EUR', total: 'Összesen', pickerLabel: 'Fizetési mód', cards: 'Bankkártyák', pay: 'Fizetés: {amount}', choose: 'A folytatáshoz válasszon fizetési módot.', paid: 'Sikeres fizetés. Köszönjük!' },
  ro: { order: 'DEMO-EUR', total: 'Total de plată', pickerLabel: 'Metodă de plată', cards: 'Carduri', pay: 'Plătiți {amount}', choose: 'Alegeți o metodă de plată pentru a continua.', paid: 'Plata a fost finalizată. Vă mulțumim!' },
  et: { order: 'DEMO-EUR', total: 'Kokku', pickerLabel: 'Makseviis', cards: 'Kaardid', pay: 'Maksa {amount}', choose: 'Jätkamiseks vali makseviis.', paid: 'Makse on tehtud. Aitäh!' },
  lv: { order: 'DEMO-EUR', total: 'Kopā', pickerLabel: 'Maksājuma veids', cards: 'Maksājumu kartes', pay: 'Maksāt {amount}', choose: 'Lai turpinātu, izvēlieties maksājuma veidu.', paid: 'Maksājums veikts. Paldies!' },
  lt: { order: 'DEMO-EUR', total: 'Iš viso', pickerLabel: 'Mokėjimo būdas', cards: 'Mokėjimo kortelės', pay: 'Sumokėti {amount}', choose: 'Norėdami tęsti, pasirinkite mokėjimo būdą.', paid: 'Mokėjimas atliktas. Ačiū!' },
  el: { order: 'DEMO-EUR', total: 'Σύνολο', pickerLabel: 'Τρόπος πληρωμής', cards: 'Κάρτες', pay: 'Πληρωμή {amount}', choose: 'Επιλέξτε τρόπο πληρωμής για να συνεχίσετε.', paid: 'Η πληρωμή ολοκληρώθηκε. Σας ευχαριστούμε!' },
  ru: { order: 'DEMO-EUR', total: 'Итого', pickerLabel: 'Способ оплаты', cards: 'Карты', pay: 'Оплатить {amount}', choose: 'Чтобы продолжить, выберите способ оплаты.', paid: 'Оплата прошла успешно. Спасибо!' },
  uk: { order: 'DEMO-EUR', total: 'Разом', pickerLabel: 'Спосіб оплати', cards: 'Картки', pay: 'Сплатити {amount}', choose: 'Щоб продовжити, оберіть спосіб оплати.', paid: 'Оплата пройшла успішно. Дякуємо!' },
  ar: { order: 'DEMO-EUR', total: 'الإجمالي', pickerLabel: 'طريقة الدفع', cards: 'البطاقات', pay: 'ادفع {amount}', choose: 'اختر طريقة دفع للمتابعة.', paid: 'اكتمل الدفع. شكرًا لك!' },
};

const PAID = STATES.byState.paid;

const meta = {
  title: 'Languages',
  component: 'kassa-checkout',
  args: checkoutArgs(),
  argTypes: checkoutArgTypes,
  render: (args) =>
    html`<div class="languages">
      ${renderCheckout(args)}
      <kassa-status endpoint=${ENDPOINT} reference=${PAID.reference} locale=${args.locale ?? 'en'}></kassa-status>
    </div>`,
} satisfies Meta<CheckoutArgs>;

export default meta;
type Story = StoryObj<CheckoutArgs>;

/** Whitespace as the page shows it: Intl puts (narrow) no-break spaces in amounts. */
const plain = (text: string) => text.replace(/\s+/g, ' ');

function languageStory(locale: string): Story {
  const words = LANGUAGES[locale]!;
  const session = SESSIONS[words.order];
  const kassa = new MockKassa({ order: words.order, payments: [PAID] });
  const amount = (minor: number, currency: string) => new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 100);
  return {
    name: new Intl.DisplayNames([locale], { type: 'language' }).of(locale),
    args: { locale, order: words.order },
    beforeEach: ({ msw }) => kassa.install(msw),
    play: async ({ canvasElement }) => {
      const list = await picker(canvasElement);
      await list.findByRole('radiogroup', { name: words.pickerLabel }, { timeout: 5_000 });
      await expect(list.getAllByRole('group')[0]).toHaveTextContent(words.cards);
      const view = await checkout(canvasElement);
      const total = plain(amount(session.amount, session.currency));
      await expect(view.getByText(words.total).parentElement).toHaveTextContent(total);
      const pay = view.getByRole('button', { name: (name) => plain(name) === words.pay.replace('{amount}', total) });
      await expect(pay).toHaveAccessibleDescription(words.choose);
      await expect(kassa.sessionRequests[0]?.locale).toBe(locale);

      const status = await inShadow(canvasElement, 'kassa-status');
      await waitFor(() => expect(status.getByRole('status')).toHaveTextContent(words.paid));
      await expect(status.getByRole('status')).toHaveTextContent(plain(amount(PAID.amount, PAID.currency)));
    },
  };
}

export const English = languageStory('en');
export const Swedish = languageStory('sv');
export const Danish = languageStory('da');
export const NorwegianBokmal = languageStory('nb');
export const Finnish = languageStory('fi');
export const Icelandic = languageStory('is');
export const German = languageStory('de');
export const French = languageStory('fr');
export const Polish = languageStory('pl');
export const Spanish = languageStory('es');
export const Italian = languageStory('it');
export const Dutch = languageStory('nl');
export const Portuguese = languageStory('pt');
export const BrazilianPortuguese = languageStory('pt-BR');
export const Czech = languageStory('cs');
export const Slovak = languageStory('sk');
export const Hungarian = languageStory('hu');
export const Romanian = languageStory('ro');
export const Estonian = languageStory('et');
export const Latvian = languageStory('lv');
export const Lithuanian = languageStory('lt');
export const Greek = languageStory('el');
export const Russian = languageStory('ru');
export const Ukrainian = languageStory('uk');
export const Arabic = languageStory('ar');
