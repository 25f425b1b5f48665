import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect, fn, userEvent, waitFor } from 'storybook/test';
import '../src/components/method-fields/define.ts';
import type { KassaMethodFields } from '../src/components/method-fields/method-fields.ts';
import type { PaymentMethod } from '../src/core/model.ts';
import { method } from './support/fixtures.ts';
import { inShadow, shadowPath } from './support/shadow.ts';

interface Args {
  method: PaymentMethod;
  values: Record<string, string>;
  locale?: string;
  disabled: boolean;
  onChange: (event: Event) => void;
}

const MBWAY = method('DEMO-EUR', 'mbway');
const BLIK = method('DEMO-PLN', 'blik');
/** Hero for a shopper whose order has no company: all six company details are asked. */
const HERO = method('DEMO-EUR-PERSON', 'b2b-pay-later.Pay1X');

const meta = {
  title: 'Elements/kassa-method-fields',
  component: 'kassa-method-fields',
  args: { method: MBWAY, values: {}, disabled: false, onChange: fn() },
  argTypes: { method: { control: 'object' }, values: { control: 'object' }, onChange: { table: { disable: true } } },
  render: (args) =>
    html`<kassa-method-fields
      .method=${args.method}
      .values=${args.values}
      locale=${ifDefined(args.locale)}
      ?disabled=${args.disabled}
      @change=${args.onChange}
    ></kassa-method-fields>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

const element = (canvasElement: HTMLElement) => canvasElement.querySelector<KassaMethodFields>('kassa-method-fields')!;

/**
 * MilkyPay's MB WAY asks for a Portuguese phone number: the provider's label, hint and pattern; its example under the
 * hint ("e.g. …"), never as a placeholder that would read as a number already filled in; the phone keypad.
 */
export const MilkyPayPhone: Story = {
  play: async ({ canvasElement, args }) => {
    const fields = await inShadow(canvasElement, 'kassa-method-fields');
    await expect(await fields.findByRole('group', { name: 'Details for MB WAY' })).toBeVisible();
    const phone = fields.getByRole('textbox', { name: /^Phone number/ });
    await expect(phone).not.toHaveAttribute('placeholder');
    await expect(phone).toHaveAttribute('type', 'tel');
    await expect(phone).toHaveAttribute('inputmode', 'tel');
    await expect(phone).toBeRequired();
    await expect(phone).toHaveAccessibleDescription('Enter the phone number linked to MB WAY e.g. +351912345678');

    // Not the provider's pattern: the error shows once the shopper leaves the field.
    await userEvent.type(phone, '912345678');
    await expect(fields.queryByText('This does not look right. Please check it.')).toBeNull();
    await userEvent.tab();
    await expect(await fields.findByText('This does not look right. Please check it.')).toBeVisible();
    await expect(phone).toHaveAttribute('aria-invalid', 'true');
    await expect(element(canvasElement).valid).toBe(false);

    await userEvent.type(phone, '+351912345678', { initialSelectionStart: 0, initialSelectionEnd: (phone as HTMLInputElement).value.length });
    await waitFor(() => expect(fields.queryByText('This does not look right. Please check it.')).toBeNull());
    await expect(element(canvasElement).valid).toBe(true);
    await expect(element(canvasElement).values).toEqual({ phone: '+351912345678' });
    await expect(args.onChange).toHaveBeenCalled();
  },
};

/** MilkyPay's BLIK asks for the six-digit code from the shopper's banking app. */
export const MilkyPayBlikCode: Story = {
  args: { method: BLIK },
  play: async ({ canvasElement }) => {
    const fields = await inShadow(canvasElement, 'kassa-method-fields');
    const code = await fields.findByRole('textbox', { name: /^BLIK code/ });
    await expect(code).toHaveAccessibleDescription('Enter the 6-digit code from your banking app e.g. 777123');
    await expect(code).toHaveAttribute('inputmode', 'numeric');
    await expect(code).toHaveAttribute('autocomplete', 'one-time-code');
    await userEvent.type(code, '77712');
    await userEvent.tab();
    await expect(await fields.findByText('Enter the 6-digit BLIK code from your banking app.')).toBeVisible();
    await userEvent.type(code, '3');
    await waitFor(() => expect(element(canvasElement).valid).toBe(true));
  },
};

/**
 * The same field for a German shopper: MilkyPay gives its label and hint in English, Russian and Ukrainian only, so
 * Kassa's own German label and hint for a BLIK code stand in (never English inside a German form).
 */
export const BlikCodeInGerman: Story = {
  args: { method: BLIK, locale: 'de' },
  play: async ({ canvasElement }) => {
    const fields = await inShadow(canvasElement, 'kassa-method-fields');
    await expect(await fields.findByRole('group', { name: 'Angaben für BLIK' })).toBeVisible();
    const code = await fields.findByRole('textbox', { name: /^BLIK-Code/ });
    await expect(code).toHaveAccessibleDescription('6 Ziffern aus Ihrer Banking-App z. B. 777123');
    await expect(code).not.toHaveAttribute('placeholder');
    await expect(code).toHaveAttribute('inputmode', 'numeric');
    await userEvent.type(code, '123');
    await userEvent.tab();
    await expect(await fields.findByText('Bitte den 6-stelligen BLIK-Code aus Ihrer Banking-App eingeben.')).toBeVisible();
  },
};

/** Hero pays companies only: without a company on the order, it asks for the six company details. */
export const HeroCompanyDetails: Story = {
  args: { method: HERO },
  play: async ({ canvasElement }) => {
    const fields = await inShadow(canvasElement, 'kassa-method-fields');
    await fields.findByRole('group', { name: 'Details for Pay in full' });
    const labels = fields.getAllByRole('textbox').map((input) => input.getAttribute('name'));
    await expect(labels).toEqual(['companyName', 'addressLine1', 'postalCode', 'city', 'email', 'phone']);
    await expect(fields.getByRole('textbox', { name: /^Company e-mail/ })).toHaveAttribute('autocomplete', 'email');
    await expect(fields.getByRole('textbox', { name: /^Company name/ })).toHaveAttribute('autocomplete', 'organization');

    const values = ['Atelier Exemple SARL', '10 rue de la Paix', '75002', 'Paris', 'compta@exemple.fr', '+33 6 00 00 00 00'];
    for (const [index, input] of fields.getAllByRole('textbox').entries()) await userEvent.type(input, values[index]!);
    await expect(element(canvasElement).valid).toBe(true);
    await expect(element(canvasElement).values.postalCode).toBe('75002');
  },
};

/** The same details for a French shopper: Hero's own French labels, Kassa's French messages. */
export const HeroCompanyDetailsInFrench: Story = {
  args: { method: HERO, locale: 'fr' },
  play: async ({ canvasElement }) => {
    const fields = await inShadow(canvasElement, 'kassa-method-fields');
    await fields.findByRole('group', { name: 'Informations pour Paiement comptant' });
    await expect(fields.getByRole('textbox', { name: /^Raison sociale/ })).toBeVisible();
    await expect(fields.getByRole('textbox', { name: /^Téléphone de l'entreprise/ })).toBeVisible();
  },
};

/**
 * Errors shown: the pay button validates every field (the first invalid one takes the focus), and a problem the
 * endpoint found in a value the browser accepted is shown on its field until the shopper edits it.
 */
export const ErrorsShown: Story = {
  args: { method: HERO, values: { companyName: 'Atelier Exemple SARL', email: 'compta@' } },
  play: async ({ canvasElement }) => {
    const fields = await inShadow(canvasElement, 'kassa-method-fields');
    await fields.findByRole('group');
    await expect(element(canvasElement).validate()).toBe(false);
    // Each says what to enter, and never puts a label in the middle of a sentence ("Please fill in City.").
    await expect(await fields.findByText('Enter the street address.')).toBeVisible();
    await expect(fields.getByText('Enter the postal code.')).toBeVisible();
    await expect(fields.getByText('Enter the city.')).toBeVisible();
    await expect(fields.getByText('Enter an email address, e.g. name@example.com.')).toBeVisible();
    await expect(fields.getByText('Enter your phone number.')).toBeVisible();
    const root = await shadowPath(canvasElement, 'kassa-method-fields');
    await expect(root.activeElement).toBe(fields.getByRole('textbox', { name: /^Billing address/ }));
    await expect(root.querySelectorAll('[aria-invalid=true]')).toHaveLength(5);

    // The endpoint refused the company name: shown although it passes Kassa's own checks.
    await expect(element(canvasElement).reportErrors({ 'fields.companyName': 'fields.error.pattern' })).toBe(true);
    await expect(await fields.findByText('This does not look right. Please check it.')).toBeVisible();
    await userEvent.type(fields.getByRole('textbox', { name: /^Company name/ }), ' SAS');
    await waitFor(() => expect(fields.queryByText('This does not look right. Please check it.')).toBeNull());
  },
};

/** The same errors for a German shopper: sentences of their own, nouns capitalised as German has them. */
export const ErrorsShownInGerman: Story = {
  args: { method: HERO, locale: 'de', values: {} },
  play: async ({ canvasElement }) => {
    const fields = await inShadow(canvasElement, 'kassa-method-fields');
    await fields.findByRole('group', { name: /^Angaben für/ });
    await expect(element(canvasElement).validate()).toBe(false);
    await expect(await fields.findByText('Bitte den Firmennamen eingeben.')).toBeVisible();
    await expect(fields.getByText('Bitte Straße und Hausnummer eingeben.')).toBeVisible();
    await expect(fields.getByText('Bitte die Postleitzahl eingeben.')).toBeVisible();
    await expect(fields.getByText('Bitte den Ort eingeben.')).toBeVisible();
    await expect(fields.getByText('Bitte Ihre Telefonnummer eingeben.')).toBeVisible();
    for (const input of fields.getAllByRole('textbox')) await expect(input).not.toHaveAttribute('placeholder');
    await expect(fields.getAllByRole('textbox').at(-1)).toHaveAttribute('inputmode', 'tel');
  },
};

/** Disabled while the payment starts: every input is. */
export const Disabled: Story = {
  args: { method: HERO, disabled: true },
  play: async ({ canvasElement }) => {
    const fields = await inShadow(canvasElement, 'kassa-method-fields');
    await fields.findByRole('group');
    for (const input of fields.getAllByRole('textbox')) await expect(input).toBeDisabled();
  },
};
