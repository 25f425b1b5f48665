/**
 * Phone emulation for browser tests: `emulatePhone()` makes the page a 375×812 touch screen (`pointer: coarse`)
 * with a mobile user agent — the `kassa-phone` command in web-test-runner.config.mjs — and gives it the viewport
 * meta tag every shop page has, so it lays out 375 CSS pixels wide. `emulateDesktop()` undoes both; call it in an
 * `afterEach`, so one test's phone does not leak into the next.
 */
import { executeServerCommand } from '@web/test-runner-commands';

const META_ID = 'kassa-phone-viewport';

export async function emulatePhone(): Promise<void> {
  if (!document.getElementById(META_ID)) {
    const meta = document.createElement('meta');
    meta.id = META_ID;
    meta.name = 'viewport';
    meta.content = 'width=device-width, initial-scale=1';
    document.head.append(meta);
  }
  await executeServerCommand('kassa-phone', { phone: true });
  await nextFrame();
}

export async function emulateDesktop(): Promise<void> {
  document.getElementById(META_ID)?.remove();
  await executeServerCommand('kassa-phone', { phone: false });
  await nextFrame();
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}
