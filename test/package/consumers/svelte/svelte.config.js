// An empty Svelte configuration: svelte-check reads this one instead of looking for a Vite configuration.
export default {};
