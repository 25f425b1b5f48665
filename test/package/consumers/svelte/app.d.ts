// Kassa's tags in Svelte markup, declared once for the app (SvelteKit keeps this in src/app.d.ts).
/// <reference types="kassa/svelte" />
