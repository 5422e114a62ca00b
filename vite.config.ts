import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The lab is served as static files; nothing is fetched from another origin at run time.
export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  server: { host: '127.0.0.1', port: 5173 },
});
