import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console: root web/, output web/dist (served by the API process at /, see src/kernel/console.ts).
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
