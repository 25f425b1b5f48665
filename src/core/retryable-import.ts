/**
 * A dynamic import that can be tried again after a failure (offline, a deploy that briefly lost a chunk). Chromium
 * remembers a failed `import()` for the page's life — the same URL fails again without a request, even once the
 * network is back — so after a failure the next call imports the failed module's URL, read from the error, with a
 * fresh query. Where the error names no URL (other browsers), the import is simply tried again. A success is kept.
 */
export function retryableImport<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  let failedUrl: string | undefined;
  let failures = 0;
  return () => {
    loading ??= (failedUrl ? importFresh<T>(`${failedUrl}?retry=${failures}`) : load()).catch((error: unknown) => {
      loading = undefined;
      failures++;
      failedUrl = moduleUrl(error) ?? failedUrl;
      throw error;
    });
    return loading;
  };
}

function importFresh<T>(url: string): Promise<T> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ url) as Promise<T>;
}

/** The module's address in Chromium's "Failed to fetch dynamically imported module: <url>", without its query. */
export function moduleUrl(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : '';
  return /\b(?:https?|file):\/\/[^\s'"?#]+/.exec(message)?.[0];
}
