/**
 * What a page's `navigate` callback is handed when Kassa sends the shopper on: the address, and how to go there.
 */

/** Go to `url` (a redirect, or a GET form with its fields already in the query). */
export interface KassaGetNavigation {
  method: 'GET';
  url: string;
}

/** Post a form to `url` with these fields, in order (e.g. MilkyPay's `flow_data`). */
export interface KassaPostNavigation {
  method: 'POST';
  url: string;
  /** The hidden fields as name–value pairs, in order; `new URLSearchParams(fields)` gives the request body. */
  fields: ReadonlyArray<readonly [string, string]>;
  /** Submits the element's own `<form method="post">`: what happens when the callback does not take the POST over. */
  submit(): void;
}

/** The step `navigate` is asked to carry out. */
export type KassaNavigation = KassaGetNavigation | KassaPostNavigation;

/**
 * How the shopper is sent on. `url` is where to; `navigation` says how (`GET`, or `POST` with fields). A callback
 * that declares only `url` was written for addresses: a form POST never reaches it, the form is submitted instead.
 */
export type KassaNavigate = (url: string, navigation: KassaNavigation) => void;

/** The default: `location.assign(url)` for a GET, the element's own form submission for a POST. */
export const defaultNavigate: KassaNavigate = (url, navigation) => {
  if (navigation.method === 'POST') navigation.submit();
  else location.assign(url);
};

/**
 * Whether `navigate` takes a form POST over: only when it declares the second parameter. One written as
 * `(url) => router.push(url)` would turn a POST into a GET without its fields, so it keeps the native submission.
 */
export function takesPostNavigation(navigate: KassaNavigate): boolean {
  return navigate.length >= 2;
}
