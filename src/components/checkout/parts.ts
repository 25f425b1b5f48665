/**
 * The elements the checkout shows only after the methods are on screen — the fields, the redirect, the QR code and
 * the status — loaded on demand, so the first paint carries only the checkout and the picker. Each loads its own
 * module (and registers its `kassa-` tag) once per page; a failed load (offline) is tried again on the next call.
 */
let loading: Promise<void> | undefined;

export function loadCheckoutParts(): Promise<void> {
  loading ??= Promise.all([
    import('../method-fields/define.ts'),
    import('../redirect/define.ts'),
    import('../qr/define.ts'),
    import('../status/define.ts'),
  ]).then(
    () => undefined,
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
