import { defineConfig } from 'vite'
import { fileURLToPath } from 'node:url'

// The web chat widget's panel (the page inside the loader's iframe), built
// into web/dist/widget and served by the Go binary at /widget/. No
// framework: plain TypeScript keeps it small for customers' visitors
// (npm run size:widget; the budget is 60 KB gzipped). The loader
// (/widget.js) is built by vite.loader.config.ts into the same folder.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/widget/',
  build: {
    // Rolldown's PLUGIN_TIMINGS note (vue/TypeScript transforms dominate a
    // build this small) is not a problem to fix; it only looked like one.
    rolldownOptions: { checks: { bundlerTimings: false } },
    outDir: fileURLToPath(new URL('../dist/widget', import.meta.url)),
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    modulePreload: { polyfill: false },
  },
})
