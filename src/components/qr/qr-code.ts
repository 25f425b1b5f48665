/**
 * Pure helpers for `kassa-qr`: the QR code's SVG outline (lean-qr), which app links may be shown, and how the time
 * left is written.
 */
import { correction, generate, type GenerateOptions } from 'lean-qr';
import { toSvgPath } from 'lean-qr/extras/svg';

/** Medium error correction: codes are scanned off screens, often at an angle or with glare. */
export const QR_OPTIONS: Readonly<GenerateOptions> = { minCorrectionLevel: correction.M };

/** Quiet zone around the code, in modules (ISO 18004 asks for 4). */
export const QR_QUIET_ZONE = 4;

/** The longest payload encoded; longer (or unencodable) data gives no code rather than an exception. */
const MAX_DATA = 2048;

export interface QrOutline {
  /** The code's width and height in modules, without the quiet zone. */
  size: number;
  /** The outline of the dark modules, for an SVG `<path d>` in module units. */
  path: string;
}

/** The SVG outline of the QR code for `data`, or undefined when there is nothing (or too much) to encode. */
export function qrOutline(data: string | undefined | null): QrOutline | undefined {
  if (!data || data.length > MAX_DATA) return undefined;
  try {
    const code = generate(data, QR_OPTIONS);
    return { size: code.size, path: toSvgPath(code) };
  } catch {
    return undefined; // more than a QR code holds
  }
}

/** The schemes an "open the app" link may use: the payment apps', and https (universal / app links). */
const APP_SCHEMES = new Set(['swish:', 'mobilepay:', 'vipps:', 'https:']);

/** The deep link, normalized, when its scheme is a payment app's or https (without credentials); else undefined. */
export function safeDeepLink(link: string | undefined | null): string | undefined {
  if (!link || link.length > 4096) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(link);
  } catch {
    return undefined;
  }
  if (!APP_SCHEMES.has(parsed.protocol) || parsed.username || parsed.password) return undefined;
  return parsed.href;
}

/** Whole seconds as `m:ss` (or `h:mm:ss` from an hour up): digits read the same in every Kassa language. */
export function formatRemaining(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
