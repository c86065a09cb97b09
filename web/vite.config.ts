// Build of the web map. The output in dist/ is embedded into the wijkwerk binary (server/build.rs)
// and served at `/`, so every URL is root-absolute and the file names are content-hashed.
/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Map bundles are large by nature; the warning would only be noise.
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
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
