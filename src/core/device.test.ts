import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPhone, readDeviceSignals, type DeviceSignals } from './device.ts';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const ANDROID_PHONE = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
const ANDROID_TABLET = 'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const FIREFOX_ANDROID = 'Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0';
const FIREFOX_TABLET = 'Mozilla/5.0 (Android 14; Tablet; rv:127.0) Gecko/127.0 Firefox/127.0';
const OLD_IPAD = 'Mozilla/5.0 (iPad; CPU OS 12_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1 Mobile/15E148 Safari/604.1';
const IPADOS = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const DESKTOP_CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const WINDOWS_TOUCH = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0';

describe('isPhone', () => {
  const rows: Array<[name: string, signals: DeviceSignals, phone: boolean]> = [
    ['iPhone Safari (no client hints)', { coarsePointer: true, uaMobile: undefined, userAgent: IPHONE }, true],
    ['Android Chrome on a phone (hints say mobile)', { coarsePointer: true, uaMobile: true, userAgent: ANDROID_PHONE }, true],
    ['Firefox on an Android phone', { coarsePointer: true, uaMobile: undefined, userAgent: FIREFOX_ANDROID }, true],
    ['Android Chrome on a tablet (hints say not mobile)', { coarsePointer: true, uaMobile: false, userAgent: ANDROID_TABLET }, false],
    ['Firefox on an Android tablet', { coarsePointer: true, uaMobile: undefined, userAgent: FIREFOX_TABLET }, false],
    ['an older iPad, whose agent says Mobile', { coarsePointer: true, uaMobile: undefined, userAgent: OLD_IPAD }, false],
    ['an iPad in desktop mode', { coarsePointer: true, uaMobile: undefined, userAgent: IPADOS }, false],
    ['a touch laptop (hints say not mobile)', { coarsePointer: true, uaMobile: false, userAgent: WINDOWS_TOUCH }, false],
    ['desktop Chrome with a mouse', { coarsePointer: false, uaMobile: false, userAgent: DESKTOP_CHROME }, false],
    ["a desktop lending a phone's agent, mouse in hand", { coarsePointer: false, uaMobile: undefined, userAgent: IPHONE }, false],
    ["a desktop whose hints claim mobile, mouse in hand", { coarsePointer: false, uaMobile: true, userAgent: DESKTOP_CHROME }, false],
    ['a touch screen with an empty agent', { coarsePointer: true, uaMobile: undefined, userAgent: '' }, false],
  ];
  for (const [name, signals, phone] of rows) {
    it(`${name} → ${phone ? 'phone' : 'not a phone'}`, () => assert.equal(isPhone(signals), phone));
  }
});

describe('readDeviceSignals', () => {
  it('reads the pointer, the client hint and the agent', () => {
    const queries: string[] = [];
    const scope = {
      matchMedia: (query: string) => {
        queries.push(query);
        return { matches: true } as MediaQueryList;
      },
      navigator: { userAgent: ANDROID_PHONE, userAgentData: { mobile: true } } as unknown as Navigator,
    };
    assert.deepEqual(readDeviceSignals(scope), { coarsePointer: true, uaMobile: true, userAgent: ANDROID_PHONE });
    assert.deepEqual(queries, ['(pointer: coarse)']);
  });

  it('leaves the hint undefined where the browser has none, and copes without matchMedia', () => {
    const scope = { matchMedia: undefined, navigator: { userAgent: IPHONE } } as unknown as Pick<Window, 'matchMedia' | 'navigator'>;
    assert.deepEqual(readDeviceSignals(scope), { coarsePointer: false, uaMobile: undefined, userAgent: IPHONE });
  });
});
