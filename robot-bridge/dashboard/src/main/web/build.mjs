// Bundles the dashboard page at build time (Maven's generate-resources runs: node build.mjs OUT_DIR PROTO_DIR).
// 1. `npm ci` when node_modules does not match package-lock.json (a fresh checkout, or the lock changed).
// 2. The project's .proto files -> one protobufjs JSON descriptor the page decodes MQTT payloads with.
// 3. esbuild: src/main.js (three.js, urdf-loader, mqtt.js, uPlot, protobufjs, @mcap/core) -> app.js, plus the
//    static files. Everything the page needs is in OUT_DIR; nothing is fetched at run time.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const [out, protoDir] = process.argv.slice(2).map((p) => resolve(p));
if (!out || !protoDir) {
  console.error("usage: node build.mjs OUT_DIR PROTO_DIR");
  process.exit(2);
}

const lock = readFileSync("package-lock.json", "utf8");
const installed = existsSync("node_modules/.package-lock.json.ci") ? readFileSync("node_modules/.package-lock.json.ci", "utf8") : "";
if (installed !== lock) {
  console.log("dashboard: npm ci (package-lock.json changed or node_modules missing)");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { stdio: "inherit" });
  writeFileSync("node_modules/.package-lock.json.ci", lock);
}

const protobuf = (await import("protobufjs")).default;
const esbuild = await import("esbuild");

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => join(protoDir, target);
const files = readdirSync(join(protoDir, "optimus/v1")).filter((f) => f.endsWith(".proto")).sort();
await root.load(files.map((f) => `optimus/v1/${f}`), { keepCase: false });
root.resolveAll();
mkdirSync("target-gen", { recursive: true });
writeFileSync("target-gen/optimus-proto.json", JSON.stringify(root.toJSON()));

mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: ["src/main.js"],
  bundle: true,
  minify: true,
  sourcemap: false,
  format: "esm",
  platform: "browser",
  target: ["chrome110", "firefox115", "safari16"],
  outfile: join(out, "app.js"),
  define: { "process.env.NODE_ENV": '"production"', global: "globalThis" },
  logLevel: "warning",
  legalComments: "linked",
});
for (const f of ["index.html", "app.css"]) copyFileSync(join("src", f), join(out, f));
copyFileSync("node_modules/uplot/dist/uPlot.min.css", join(out, "uplot.css"));
console.log(`dashboard: page bundled into ${out} (${files.length} proto files)`);
