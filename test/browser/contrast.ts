/**
 * WCAG 2 contrast between two colours as the browser computes them (`rgb(…)` / `rgba(…)`, the form every
 * `getComputedStyle` colour of an sRGB value takes), and what a shopper sees behind an element.
 */

export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** A computed colour string → its channels (0–255, alpha 0–1); throws on any other form, so a test cannot pass by mistake. */
export function parseColor(value: string): Rgba {
  const match = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(value.trim());
  if (!match) throw new Error(`not a computed sRGB colour: ${value}`);
  const alpha = match[4] === undefined ? 1 : match[4].endsWith('%') ? Number(match[4].slice(0, -1)) / 100 : Number(match[4]);
  return { r: Number(match[1]), g: Number(match[2]), b: Number(match[3]), a: alpha };
}

/** Relative luminance (WCAG 2.x), 0 for black to 1 for white. */
export function luminance({ r, g, b }: Rgba): number {
  const linear = (channel: number) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** `top` painted over the opaque `bottom`. */
export function composite(top: Rgba, bottom: Rgba): Rgba {
  const mix = (front: number, back: number) => front * top.a + back * (1 - top.a);
  return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a: 1 };
}

/** Contrast ratio of two opaque colours, 1 to 21, the same whichever is given first. */
export function contrastRatio(first: Rgba | string, second: Rgba | string): number {
  const a = luminance(typeof first === 'string' ? parseColor(first) : first);
  const b = luminance(typeof second === 'string' ? parseColor(second) : second);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/** The parent across shadow boundaries (a shadow root's host, a slotted node's slot is not needed here). */
function composedParent(element: Element): Element | null {
  if (element.parentElement) return element.parentElement;
  const root = element.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}

/**
 * The opaque colour behind `element`: its own and its ancestors' backgrounds (through shadow roots) composited
 * down to the page's canvas, which follows the root's `color-scheme` like the system colour `Canvas` does.
 */
export function backgroundBehind(element: Element): Rgba {
  const layers: Rgba[] = [];
  for (let node: Element | null = element; node; node = composedParent(node)) {
    const layer = parseColor(getComputedStyle(node).backgroundColor);
    if (layer.a > 0) layers.push(layer);
    if (layer.a === 1) break;
  }
  let colour = layers.at(-1)?.a === 1 ? layers.pop()! : canvasColour();
  while (layers.length) colour = composite(layers.pop()!, colour);
  return colour;
}

function canvasColour(): Rgba {
  const probe = document.createElement('div');
  probe.style.backgroundColor = 'Canvas';
  document.documentElement.append(probe);
  const colour = parseColor(getComputedStyle(probe).backgroundColor);
  probe.remove();
  return colour;
}
