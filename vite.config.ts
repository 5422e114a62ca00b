import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The lab's Content-Security-Policy: scripts, workers, styles and fetches from its own origin
 * only ('wasm-unsafe-eval' lets the WASM backend compile its bundled binary); images and audio
 * also from data: and blob: URLs the page makes itself (thumbnails, chart PNGs, playable audio).
 * Nothing else runs and nothing is fetched from elsewhere. Tested in e2e/csp.spec.ts.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "style-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The built page carries the policy in a meta tag (before any script), so any static host serves it with it. */
const cspMeta: Plugin = {
  name: 'csp-meta',
  apply: 'build',
  transformIndexHtml: (html) =>
    html.replace(
      '<meta charset="UTF-8" />',
      `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`,
    ),
};

// The lab is served as static files; nothing is fetched from another origin at run time.
export default defineConfig({
  plugins: [react(), cspMeta],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // The page in cacheable parts, each under Vite's 500 kB warning: React, the charts (recharts and
    // what only it uses: d3 via victory-vendor, its redux store), other libraries, the lab. (The
    // worker is one file: it holds tfjs-core and every backend, which auto mode times at start-up anyway.)
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            {
              name: 'charts',
              test: /node_modules[\\/](recharts|victory-vendor|d3-[^\\/]+|internmap|@reduxjs|redux|react-redux|reselect|immer|es-toolkit|decimal\.js-light|eventemitter3|tiny-invariant|use-sync-external-store|clsx)[\\/]/,
            },
            { name: 'vendor', test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
  // As a header too: it then also governs the worker (a meta tag reaches only the page) and framing.
  preview: {
    host: '127.0.0.1',
    port: 4173,
    strictPort: true,
    headers: { 'Content-Security-Policy': `${CSP}; frame-ancestors 'none'` },
  },
  server: { host: '127.0.0.1', port: 5173 },
});
