/**
 * Small SVG logos for the pre-request's `logo` and `icon` URLs (the real ones live on static.openfintech.io):
 * `<method>.svg` is a wide badge with the method's English name, `<method>-icon.svg` a square with its initial.
 */
import { escapeHtml } from '../core/http.ts';
import { findMethod } from './catalogue.ts';

const ACCOUNT_COLOR = '#4a3aa8';

export function logoSvg(name: string): string | undefined {
  if (name === 'account') return iconSvg('K', ACCOUNT_COLOR);
  const iconOf = /^(.+)-icon$/.exec(name)?.[1];
  const method = findMethod(iconOf ?? name);
  if (!method) return undefined;
  return iconOf ? iconSvg(method.name.en.charAt(0), method.color) : badgeSvg(method.name.en, method.color);
}

function badgeSvg(label: string, color: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40" role="img" aria-label="${escapeHtml(label)}">
<rect width="120" height="40" rx="6" fill="${color}"/>
<text x="60" y="25" font-family="system-ui,sans-serif" font-size="14" font-weight="600" fill="#fff" text-anchor="middle">${escapeHtml(label)}</text>
</svg>`;
}

function iconSvg(letter: string, color: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32" role="img" aria-label="${escapeHtml(letter)}">
<rect width="32" height="32" rx="6" fill="${color}"/>
<text x="16" y="22" font-family="system-ui,sans-serif" font-size="16" font-weight="700" fill="#fff" text-anchor="middle">${escapeHtml(letter)}</text>
</svg>`;
}
