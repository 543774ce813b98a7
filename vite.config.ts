import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The client (applicant app; later the review console and script studio) is one Vite app in
// client/. `npm run build` writes it to dist/client, which the server serves on its own port.
export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api/': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'http://127.0.0.1:3000', ws: true },
    },
  },
});
