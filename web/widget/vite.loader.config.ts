import { defineConfig } from 'vite'
import { fileURLToPath } from 'node:url'

// The loader sites embed: <script src="https://relevo.example/widget.js"
// data-channel="ID" async>. A classic script (document.currentScript only
// exists for those), one file with a stable name, written next to the
// panel's build (run after vite.config.ts, which empties the folder).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: {
    // Rolldown's PLUGIN_TIMINGS note (vue/TypeScript transforms dominate a
    // build this small) is not a problem to fix; it only looked like one.
    rolldownOptions: { checks: { bundlerTimings: false } },
    outDir: fileURLToPath(new URL('../dist/widget', import.meta.url)),
    emptyOutDir: false,
    target: 'es2017',
    sourcemap: false,
    copyPublicDir: false,
    lib: {
      entry: fileURLToPath(new URL('src/loader.ts', import.meta.url)),
      formats: ['iife'],
      name: 'RelevoWidgetLoader',
      fileName: () => 'widget.js',
    },
  },
})
