import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const contractSource = fileURLToPath(new URL('../../packages/contract/src/index.ts', import.meta.url));

export default defineConfig({
  plugins: [react()],
  resolve: { alias: { '@medledger/contract': contractSource } },
  // The server replaces the placeholder with a fresh per-request nonce (index.html and the CSP header).
  html: { cspNonce: '__CSP_NONCE__' },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
    // Every asset is a same-origin file under /assets: nothing depends on `data:` URIs.
    assetsInlineLimit: 0,
    // One entry chunk on purpose: src/csp-nonce.ts must run before any antd code, and a vendor
    // chunk would be evaluated before the entry module's own body. antd makes it ~1 MB minified.
    chunkSizeWarningLimit: 1600,
    modulePreload: { polyfill: false },
  },
});
