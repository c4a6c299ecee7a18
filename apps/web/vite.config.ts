import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

// The gateway serves the build at /app/ (apps/gateway/src/web/serve-web-app.ts). Charts come from
// libs/charts' and libs/metrics' sources, the same functions the export worker renders PDFs and PNGs with;
// forms validate with libs/contracts' schemas and windows read as libs/dashboards reads them.
export default defineConfig({
  root: here('.'),
  base: '/app/',
  resolve: {
    alias: [
      { find: /^@amc-reports\/charts$/, replacement: here('../../libs/charts/src/index.ts') },
      // The metric layer: labels, formulas and number formatting, the same as the server's.
      { find: /^@amc-reports\/metrics$/, replacement: here('../../libs/metrics/src/index.ts') },
      { find: /^@amc-reports\/metrics\/(.*)$/, replacement: `${here('../../libs/metrics')}/$1` },
      { find: /^@amc-reports\/charts\/(.*)$/, replacement: `${here('../../libs/charts')}/$1` },
      // The forms validate with the API's own zod schemas; windows are shown by the builders' rules.
      { find: /^@amc-reports\/contracts\/(.*)$/, replacement: `${here('../../libs/contracts')}/$1` },
      { find: /^@amc-reports\/dashboards\/(.*)$/, replacement: `${here('../../libs/dashboards')}/$1` },
      // The PDF's font for Japanese campaign names (fetched only by pages that show such text).
      { find: /^@noto-sans-jp/, replacement: here('../../node_modules/@expo-google-fonts/noto-sans-jp') },
    ],
  },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    // ECharts (tree-shaken to the charts we draw) is most of the bundle.
    chunkSizeWarningLimit: 900,
    // Fonts and images are files with hashed names, never inlined data: URLs.
    assetsInlineLimit: 0,
    // The signed-in app, and the read-only page a share link opens (served at /share/<token>).
    rollupOptions: { input: { main: here('index.html'), shared: here('shared.html') } },
  },
});
