/// <reference types="vitest/config" />
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

// One config for dev, build and unit tests. Run from the repository root through the
// package.json scripts (ui:dev, ui:build, ui:test).
export default defineConfig({
  root,
  base: "./",
  // Preact's JSX runtime, without a plugin.
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  server: {
    port: 5173,
    strictPort: true,
    // `lightrig serve` answers /api during development.
    proxy: { "/api": { target: process.env.LIGHTRIG_API ?? "http://127.0.0.1:47820", changeOrigin: true } },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebView2, WebKitGTK and Safari 15+ (macOS 12).
    target: ["es2021", "safari15", "chrome100", "firefox100"],
    sourcemap: false,
    chunkSizeWarningLimit: 300,
  },
  test: {
    environment: "happy-dom",
    include: ["test/**/*.test.{ts,tsx}"],
    restoreMocks: true,
  },
});
