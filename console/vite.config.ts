import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev` serves the console with hot reload and forwards the API (and config.json) to a running
// `csms local` (CSMS_URL, default http://127.0.0.1:9000); `npm run build` writes dist/, which csms local serves.
const csms = process.env.CSMS_URL ?? "http://127.0.0.1:9000";

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { "/api": csms, "/config.json": csms } },
});
