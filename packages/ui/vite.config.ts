import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w @herald/ui` proxies the API to a Herald on :8080; the build is served by Herald itself.
const api = process.env.HERALD_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/v1': api, '/openapi.json': api, '/healthz': api } },
});
