// Renders each Mermaid diagram `asl graph` drew (DIR/NAME.mmd, one per corpus definition
// CORPUS/NAME) with the mermaid package, as GitHub's Markdown renders it, in headless
// Chromium, and checks that the picture names every state of the definition.
//
//   node render.mjs CORPUS_DIR MMD_DIR
//
// Exits 1 naming each diagram that failed to render or lacks a state, 2 on bad usage.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import puppeteer from "puppeteer-core";

const [corpus, drawn] = process.argv.slice(2);
if (!corpus || !drawn) {
  console.error("usage: node render.mjs CORPUS_DIR MMD_DIR");
  process.exit(2);
}

// Every state name of a definition, branches and item processors included.
function names(machine, out = []) {
  for (const [name, state] of Object.entries(machine.States ?? {})) {
    if (typeof state !== "object" || state === null) continue;
    out.push(name);
    for (const branch of state.Branches ?? []) names(branch, out);
    if (state.ItemProcessor) names(state.ItemProcessor, out);
    if (state.Iterator) names(state.Iterator, out);
  }
  return out;
}

const require = createRequire(import.meta.url);
const bundle = require.resolve("mermaid/dist/mermaid.min.js");
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
const failures = [];
let rendered = 0;
try {
  const page = await browser.newPage();
  await page.setContent("<!doctype html><html><body></body></html>");
  await page.addScriptTag({ path: bundle });
  await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict" }));
  const files = readdirSync(drawn).filter((f) => f.endsWith(".mmd")).sort();
  for (const [i, file] of files.entries()) {
    const base = file.replace(/\.mmd$/, "");
    const text = readFileSync(join(drawn, file), "utf8");
    const machine = JSON.parse(readFileSync(join(corpus, base), "utf8"));
    const result = await page.evaluate(async (id, source) => {
      try {
        const { svg } = await window.mermaid.render(id, source);
        const holder = document.createElement("div");
        holder.innerHTML = svg;
        return { ok: true, text: holder.textContent };
      } catch (e) {
        return { ok: false, error: String(e && e.message ? e.message : e) };
      }
    }, `d${i}`, text);
    if (!result.ok) {
      failures.push(`${base}: mermaid could not render it: ${result.error}`);
      continue;
    }
    const shown = result.text.replace(/\s+/g, " ");
    const missing = names(machine).filter((n) => !shown.includes(n.replace(/\s+/g, " ")));
    if (missing.length > 0) {
      failures.push(`${base}: the picture lacks ${missing.map((n) => JSON.stringify(n)).join(", ")}`);
      continue;
    }
    rendered += 1;
  }
} finally {
  await browser.close();
}
console.log(`mermaid rendered ${rendered} diagram(s), naming every state`);
if (failures.length > 0) {
  for (const f of failures) console.error(f);
  process.exit(1);
}
