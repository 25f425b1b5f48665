/**
 * The one merchant every simulated provider knows: the demo shop. Its name is what the providers' hosted pages show
 * a shopper ("Pay 49.90 EUR to …"), the same on every page, as the demo's own header spells it.
 */
export const MERCHANT_NAME = 'Kassa demo shop';
