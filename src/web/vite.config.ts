import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';

/**
 * The dashboard as one HTML file (script and styles inline): `serve` sends it, and `report --html`
 * embeds the data into the same file, so it opens from disk with no server and no network.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  plugins: [viteSingleFile({ removeViteModuleLoader: true })],
  // The CSV of a view is written by report/csv.ts in the page too; its library's browser build carries
  // the Buffer it needs (https://csv.js.org/stringify/distributions/browser_esm/).
  resolve: { alias: [{ find: /^csv-stringify\/sync$/, replacement: 'csv-stringify/browser/esm/sync' }] },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2000,
  },
});
