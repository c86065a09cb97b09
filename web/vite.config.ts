// Build of the web map and the account pages. The output in dist/ is embedded into the wijkwerk
// binary (server/build.rs) and served at `/` (and `/aanmelden`, `/account`, `/beheer` for the
// pages), so every URL is root-absolute and the file names are content-hashed.
/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

/**
 * One HTML entry per page (Vite resolves the names against its root, this folder); each loads its
 * own script, so only the map page loads MapLibre.
 */
const PAGES = ['index', 'aanmelden', 'account', 'beheer', 'werk', 'lopen', 'urgentie'] as const;

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Map bundles are large by nature; the warning would only be noise.
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      input: Object.fromEntries(PAGES.map((page) => [page, `${page}.html`])),
      output: {
        // MapLibre's worker is emitted as an asset (`?url` import). A `.js` name lets every server
        // send it with a JavaScript MIME type, which module workers require.
        assetFileNames: (asset) =>
          asset.names.some((n) => n.endsWith('.mjs')) ? 'assets/[name]-[hash].js' : 'assets/[name]-[hash][extname]',
      },
    },
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
});
