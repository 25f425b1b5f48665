/// <reference types="mocha" />
/** loadOnSight (autoload.ts): each element's loader runs once, when its tag is first in the document. */
import { expect, waitUntil } from '@open-wc/testing';
import { loadOnSight } from './autoload.ts';

function counters(tags: string[], fail: Set<string> = new Set()) {
  const calls: Record<string, number> = Object.fromEntries(tags.map((t) => [t, 0]));
  const loaders = Object.fromEntries(
    tags.map((tag) => [
      tag,
      () => {
        calls[tag]!++;
        return fail.has(tag) ? Promise.reject(new Error('offline')) : Promise.resolve();
      },
    ]),
  );
  return { calls, loaders };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('loadOnSight', () => {
  it('loads a tag already in the document, once, and leaves the others alone', async () => {
    const doc = document.implementation.createHTMLDocument();
    doc.body.innerHTML = '<main><kassa-status></kassa-status><kassa-status></kassa-status></main>';
    const { calls, loaders } = counters(['kassa-status', 'kassa-qr']);
    loadOnSight(loaders, doc);
    await settle();
    expect(calls).to.deep.equal({ 'kassa-status': 1, 'kassa-qr': 0 });
  });

  it('loads a tag added later, on its own or deep inside added markup', async () => {
    const doc = document.implementation.createHTMLDocument();
    const { calls, loaders } = counters(['kassa-status', 'kassa-qr', 'kassa-redirect']);
    loadOnSight(loaders, doc);
    doc.body.append(doc.createElement('kassa-qr'));
    const section = doc.createElement('section');
    section.innerHTML = '<div><p><kassa-status></kassa-status></p></div>';
    doc.body.append(section);
    await waitUntil(() => calls['kassa-status'] === 1 && calls['kassa-qr'] === 1);
    doc.body.append(doc.createElement('kassa-qr'));
    await settle();
    expect(calls).to.deep.equal({ 'kassa-status': 1, 'kassa-qr': 1, 'kassa-redirect': 0 });
  });

  it('tries a failed load again the next time the tag is added', async () => {
    const doc = document.implementation.createHTMLDocument();
    const failing = new Set(['kassa-status']);
    const { calls, loaders } = counters(['kassa-status'], failing);
    const warn = console.warn;
    const warnings: unknown[][] = [];
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      doc.body.innerHTML = '<kassa-status></kassa-status>';
      loadOnSight(loaders, doc);
      await waitUntil(() => warnings.length === 1);
      expect(String(warnings[0]![0])).to.include('<kassa-status>');
      failing.clear();
      doc.body.append(doc.createElement('kassa-status'));
      await waitUntil(() => calls['kassa-status'] === 2);
      doc.body.append(doc.createElement('kassa-status'));
      await settle();
      expect(calls['kassa-status']).to.equal(2);
    } finally {
      console.warn = warn;
    }
  });
});
