// Gzipped size of the built UI (ui/dist): every JS and CSS file, and the part a normal start
// loads (everything but the mock backend, which only `?mock` loads).
//   npm run ui:build && npm run ui:size
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const dir = resolve(import.meta.dirname, "../dist/assets");
let total = 0;
let startup = 0;
for (const f of readdirSync(dir).filter((f) => /\.(js|css)$/.test(f)).sort()) {
  const gz = gzipSync(readFileSync(join(dir, f)), { level: 9 }).length;
  total += gz;
  if (!f.startsWith("mock-")) startup += gz;
  console.log(`${(gz / 1024).toFixed(1).padStart(7)} KiB  ${f}`);
}
console.log(`${(total / 1024).toFixed(1).padStart(7)} KiB  total JS+CSS, gzipped`);
console.log(`${(startup / 1024).toFixed(1).padStart(7)} KiB  without the mock backend`);
if (total > 300 * 1024) {
  console.error("over the 300 KiB budget");
  process.exit(1);
}
