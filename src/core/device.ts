/**
 * Whether the shopper is on a phone: the device that has the payment app (Swish, MobilePay, Vipps), so an "open
 * the app" link leads and a QR code — which a phone cannot scan off its own screen — is only the fallback.
 */

/** What the browser tells about the device; `readDeviceSignals` reads them, `isPhone` decides. */
export interface DeviceSignals {
  /** `matchMedia('(pointer: coarse)')`: the main pointer is a finger. */
  coarsePointer: boolean;
  /** `navigator.userAgentData.mobile` where the browser has it (Chromium); undefined elsewhere (Safari, Firefox). */
  uaMobile: boolean | undefined;
  userAgent: string;
}

/** Phone user agents: iPhone, Android phones ("Mobile"; Android tablets leave it out), other mobile browsers. */
const PHONE_AGENT = /\b(iPhone|iPod|Mobile|Windows Phone|IEMobile|Opera Mini)\b/i;
/** Tablets, even when their agent also says "Mobile" (an older iPad's does): payment apps live on the phone. */
const TABLET_AGENT = /\b(iPad|Tablet)\b/i;

/**
 * A phone: a touch screen and a mobile browser. Client hints win where there are any (Chromium says `mobile`
 * false on tablets and desktops); otherwise the user agent decides. A touch laptop or a desktop with a phone's
 * user agent (a developer's tools) is not a phone.
 */
export function isPhone(signals: DeviceSignals): boolean {
  if (!signals.coarsePointer) return false;
  if (signals.uaMobile !== undefined) return signals.uaMobile;
  return PHONE_AGENT.test(signals.userAgent) && !TABLET_AGENT.test(signals.userAgent);
}

interface NavigatorWithHints {
  userAgentData?: { mobile?: unknown };
}

/** The signals of this browser (`globalThis` by default), read once when asked. */
export function readDeviceSignals(scope: Pick<Window, 'matchMedia' | 'navigator'> = globalThis): DeviceSignals {
  const mobile = (scope.navigator as Navigator & NavigatorWithHints).userAgentData?.mobile;
  return {
    coarsePointer: typeof scope.matchMedia === 'function' && scope.matchMedia('(pointer: coarse)').matches,
    uaMobile: typeof mobile === 'boolean' ? mobile : undefined,
    userAgent: scope.navigator.userAgent ?? '',
  };
}
