// Stands in for web-streams-polyfill in the bundles (esbuild.js aliases it here): fetch-blob only
// falls back to the polyfill when `node:stream/web` is missing, and every Node VS Code ships has it.
export * from 'node:stream/web';
