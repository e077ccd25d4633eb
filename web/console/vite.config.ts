import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'

// The console is built into web/dist/console, which web/embed.go embeds into
// the Go binary; the server answers every app path with its index.html.
// `npm run dev` proxies the API and the socket to a running `relevo serve`
// (RELEVO_URL, default http://127.0.0.1:8080).
const backend = process.env.RELEVO_URL ?? 'http://127.0.0.1:8080'

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [vue()],
  define: {
    // vue-i18n: no legacy API, no devtools in production builds.
    __VUE_I18N_LEGACY_API__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  build: {
    // Rolldown's PLUGIN_TIMINGS note (vue/TypeScript transforms dominate a
    // build this small) is not a problem to fix; it only looked like one.
    rolldownOptions: { checks: { bundlerTimings: false } },
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: {
      '/api': { target: backend, ws: true, changeOrigin: false },
    },
  },
})
