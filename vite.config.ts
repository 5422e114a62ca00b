import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The lab is served as static files; nothing is fetched from another origin at run time.
export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // The page in cacheable parts, each under Vite's 500 kB warning: React, the charts, other
    // libraries, the lab. (The worker is one file: it holds tfjs-core and every backend, which
    // auto mode times at start-up anyway.)
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'charts', test: /node_modules[\\/](recharts|d3-[^\\/]+|victory-vendor)[\\/]/ },
            { name: 'vendor', test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  server: { host: '127.0.0.1', port: 5173 },
});
