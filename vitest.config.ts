import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

// Tests run against the TypeScript sources: `@ims/<pkg>` resolves to packages/<pkg>/src/index.ts,
// so a test never depends on a stale build.
const packagesDir = fileURLToPath(new URL("./packages/", import.meta.url));

export default defineConfig({
  resolve: {
    alias: [{ find: /^@ims\/([a-z-]+)$/, replacement: `${packagesDir}$1/src/index.ts` }],
  },
  test: {
    include: ["packages/*/src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
