// Build step after `tsc` (see package.json "build"): bundles the CLI with esbuild into one CommonJS
// file, dist/bundle/oauth-cli.cjs (and a smaller one for each of OWN_BUNDLES), because start-up
// time is mostly module loading. Measured with
// `npm run bench`: one CJS file beats both ~60 separate modules and an ESM bundle split into
// chunks (Node 20's ESM loader costs a few ms per module; Node 24 caches CJS compiles as well).
// Code stays lazy: esbuild wraps each module reached by `import()` (commands, the explainer, chalk,
// undici's parts) in an initialiser that runs only when the import does. tsc still type-checks and
// still emits dist/ module by module (other scripts import those). bin/ runs the bundle with a V8
// code cache (see there), so the bundle is a function expression for bin/ to call, not a module to
// require(); it is kept ASCII and ends with a hash of itself.
import { createHash } from "node:crypto";
import { build } from "esbuild";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";

/** Bundled for speed; every other package (oidc-provider, open, @inquirer/prompts, …) is loaded from node_modules as is. */
const BUNDLED = new Set(["commander", "undici", "chalk"]);
const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

/** Leaves every package but `bundled` outside the bundle, to be loaded from node_modules. */
const packagesOutside = (bundled) => ({
  name: "packages-outside",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      // import("node:…") becomes a lazy require (see builtinsByRequire); other built-ins stay plain requires.
      if (args.path.startsWith("node:")) return args.kind === "dynamic-import" && args.namespace === "file" ? { path: args.path, namespace: "builtin-require" } : { external: true };
      // A package's own subpath imports ("#ansi-styles" in chalk) belong to the package being bundled.
      if (args.path.startsWith("#")) return undefined;
      const name = args.path.startsWith("@") ? args.path.split("/").slice(0, 2).join("/") : args.path.split("/")[0];
      return bundled.has(name) ? undefined : { path: args.path, external: true };
    });
  },
});

/**
 * `import("node:v8")` and the like would stay dynamic imports in the CommonJS bundle, and the first
 * one sets up Node's ES module loader (a few ms on Node 20); and the bundle, when bin/ compiles it
 * with a code cache (Node < 22.1), has no import() for built-ins. A require() behind esbuild's lazy
 * initialiser gives the same namespace, when the import() runs.
 */
const builtinsByRequire = {
  name: "builtins-by-require",
  setup(b) {
    b.onResolve({ filter: /^node:/, namespace: "builtin-require" }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: "builtin-require" }, (args) => ({ loader: "js", contents: `module.exports = require(${JSON.stringify(args.path)});` }));
  },
};

/** src/version.ts reads package.json at run time; the bundle has the value written in instead. */
const inlineVersion = {
  name: "inline-version",
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]version\.ts$/ }, () => ({
      contents: `export const VERSION = ${JSON.stringify(version)};`,
      loader: "ts",
    }));
  },
};

/**
 * Start-up on Node 20 pays for every built-in module a run loads (this Debian Node compiles them
 * from source each time): node:crypto ~15 ms, node:child_process ~10 ms. Our modules import crypto
 * at the top for things a token request rarely does (PKCE, state, lock files), and commander loads
 * child_process only for executable subcommands. These resolve to stand-ins that load the real
 * module on first call: for our ES modules, one wrapper per lower-case function of the module (a
 * class or constant imported from it is a build error, naming it; import it from elsewhere or add
 * it here); for CommonJS packages, a Proxy, since they read properties at the call site.
 */
const LAZY_BUILTINS = ["crypto", "child_process"];
/**
 * Classes of those modules our code constructs, each as a function that constructs the real one
 * (`new` of a function returning an object yields that object; `instanceof` does not hold).
 */
const LAZY_CLASSES = { crypto: ["X509Certificate"] };
const nodeRequire = createRequire(import.meta.url);

function writeLazyEsm(name) {
  const real = nodeRequire(`node:${name}`);
  const functions = Object.keys(real).filter((key) => /^[a-z]/.test(key) && typeof real[key] === "function");
  return [
    `let real;`,
    // The bundle is CommonJS: require() is there, and node:module (~2 ms on Node 20) need not load.
    `const load = () => (real ??= require("node:${name}"));`,
    ...functions.map((key) => `export function ${key}(...args) { return load().${key}(...args); }`),
    ...(LAZY_CLASSES[name] ?? []).map((key) => `export function ${key}(...args) { return new (load().${key})(...args); }`),
  ].join("\n");
}

function writeLazyCjs(name) {
  return `let real;
const load = () => (real ??= require("node:${name}"));
module.exports = new Proxy({}, {
  get: (_, key) => load()[key],
  has: (_, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, key) => {
    const d = Reflect.getOwnPropertyDescriptor(load(), key);
    return d && { ...d, configurable: true };
  },
});`;
}

const lazyBuiltins = {
  name: "lazy-builtins",
  setup(b) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join("|")})$`);
    b.onResolve({ filter }, (args) => {
      const name = args.path.replace(/^node:/, "");
      if (args.namespace.startsWith("lazy-")) return { path: `node:${name}`, external: true };
      return { path: name, namespace: /\.[cm]?ts$/.test(args.importer) ? "lazy-esm" : "lazy-cjs" };
    });
    b.onLoad({ filter: /.*/, namespace: "lazy-esm" }, (args) => ({ loader: "js", contents: writeLazyEsm(args.path) }));
    b.onLoad({ filter: /.*/, namespace: "lazy-cjs" }, (args) => ({ loader: "js", contents: writeLazyCjs(args.path) }));
  },
};

/**
 * undici loads its HTTP/2 client (node:http2, which loads tls and crypto) at the top, and then
 * destructures its constants, which no stand-in can defer; it is needed only when a server
 * negotiates h2, which undici does not offer by default. Deferred to first use. The rewrite is of
 * one exact line: if a new undici changes it, the build fails, saying what to check, rather than
 * ship a bundle that is slower (or one where the text matched somewhere it should not).
 */
export const DEFERRED = [
  {
    file: /node_modules[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client\.js$/,
    from: "const connectH2 = require('./client-h2.js')",
    to: "function connectH2 (...args) { return require('./client-h2.js')(...args) }",
  },
];

/** Rewrites each entry's line, once; the build fails if the line is not there exactly once, or its file was never bundled. */
export function deferLines(entries) {
  const applied = new Set();
  return {
    name: "defer-lines",
    setup(b) {
      for (const entry of entries) {
        const { file, from, to } = entry;
        b.onLoad({ filter: file }, (args) => {
          const source = readFileSync(args.path, "utf8");
          const found = source.split(from).length - 1;
          if (found !== 1) return { errors: [changedError(`expected the line \`${from}\` once in ${args.path}, found it ${found} times`)] };
          applied.add(entry);
          return { contents: source.replace(from, to), loader: "js" };
        });
      }
      b.onEnd((result) => {
        if (result.errors.length > 0) return undefined;
        const missed = entries.filter((entry) => !applied.has(entry));
        return { errors: missed.map((entry) => changedError(`no bundled file matched ${entry.file}, so \`${entry.from}\` was not rewritten`)) };
      });
    },
  };
}

function changedError(text) {
  return {
    text: `build.mjs (DEFERRED): ${text}.`,
    notes: [{ text: "undici has changed. Find where it now loads client-h2.js and update DEFERRED in build.mjs to defer that require to its first call, or delete the entry (every request then loads node:http2: check `npm run bench`)." }],
  };
}

const OUT_DIR = "dist/bundle";
/** The whole program: every command line that no per-command bundle is for. */
const OUT = `${OUT_DIR}/oauth-cli.cjs`;

/**
 * Commands that also get a bundle of their own, dist/bundle/commands/<name>.cjs, holding only
 * their module graph: the other commands' loaders in src/program.ts become stubs that throw. bin/
 * runs it when the command line starts with the name (then program.ts loads only that command):
 * less source to read, a smaller code cache to check and deserialise, less top level to run.
 * Each one adds to the package (nothing is shared between bundles), so a command gets one only
 * when that pays, measured: decode-error's (a third of the whole, as it leaves undici out) saves
 * ~3 ms of ~36 ms a run; client-credentials' (three quarters of the whole: it needs undici) saved
 * ~1 ms of ~55, too little for 0.8 MB more to install. `completion` and `demo` need the whole
 * program; `help`, options first, an unknown word and bare --help run the whole bundle.
 */
export const OWN_BUNDLES = ["decode-error"];
/**
 * Of those, the ones that send no request: their bundle leaves undici (~40 % of the whole) to
 * node_modules, where it is still found should one of them ever send something.
 */
const SEND_NOTHING = new Set(["decode-error"]);
const COMMAND_OUT_DIR = `${OUT_DIR}/commands`;

/** Every import() of an outside package (oidc-provider, open, …) goes through __importExternal. */
function routeExternalImports(text, metafile) {
  const externals = Object.values(metafile.outputs).flatMap((output) => output.imports.filter((i) => i.external && i.kind === "dynamic-import").map((i) => i.path));
  for (const specifier of new Set(externals)) {
    const call = `import(${JSON.stringify(specifier)})`;
    if (!text.includes(call)) throw new Error(`build.mjs: expected ${call} in the bundle`);
    text = text.replaceAll(call, `__importExternal(${JSON.stringify(specifier)})`);
  }
  return text;
}

/**
 * esbuild writes ASCII except inside regular expressions and legal comments; escaping those few
 * characters (\uXXXX means the same in both, and in strings) lets Node read the bundle as one-byte
 * text, which is quicker to load and to compile.
 */
function escapeNonAscii(text) {
  return text.replace(/[^\x00-\x7f]/g, (c, at) => {
    if (/[\ud800-\udfff]/.test(c) || text[at - 1] === "\\") throw new Error(`build.mjs: cannot escape ${JSON.stringify(text.slice(at - 20, at + 20))}`);
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/** The loader of one command in src/program.ts: `import("./commands/<name>/command.js")`. */
const COMMAND_IMPORT = /import\("\.\/commands\/([a-z0-9-]+)\/command\.js"\)/g;

/**
 * Keeps only `name`'s loader in src/program.ts; every other becomes a rejected promise, so esbuild
 * leaves that command's modules out. The build fails if program.ts no longer loads `name` so.
 */
export function onlyCommand(name) {
  return {
    name: "only-command",
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]program\.ts$/ }, (args) => {
        const source = readFileSync(args.path, "utf8");
        let kept = 0;
        const contents = source.replace(COMMAND_IMPORT, (call, other) => {
          if (other === name) return kept++, call;
          return `Promise.reject(new Error(${JSON.stringify(`${other}: not in the ${name} bundle`)}))`;
        });
        if (kept !== 1) {
          return {
            errors: [
              {
                text: `build.mjs (OWN_BUNDLES): expected src/program.ts to load ./commands/${name}/command.js once, found it ${kept} times`,
                notes: [{ text: "src/program.ts loads its commands another way now: update COMMAND_IMPORT in build.mjs to match each command's loader, or take the command out of OWN_BUNDLES (it then runs from the whole bundle)." }],
              },
            ],
          };
        }
        return { contents, loader: "ts" };
      });
    },
  };
}

/** Bundles src/cli-entry.ts (only `command`'s graph, if given) into the text bin/ runs. */
async function bundleText(command) {
  const result = await build({
    entryPoints: ["src/cli-entry.ts"],
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20.18",
    plugins: [
      lazyBuiltins,
      builtinsByRequire,
      inlineVersion,
      ...(SEND_NOTHING.has(command) ? [packagesOutside(new Set([...BUNDLED].filter((name) => name !== "undici")))] : [packagesOutside(BUNDLED), deferLines(DEFERRED)]),
      ...(command ? [onlyCommand(command)] : []),
    ],
    // CommonJS has no import.meta; give modules that resolve files next to themselves the bundle's
    // URL, worked out when one asks (node:url's pathToFileURL on every run: ~0.3 ms on Node 20).
    define: { "import.meta.url": "__bundle.url" },
    // bin/ runs the bundle in a vm.Script with a code cache, where import() cannot work: it passes
    // its own as module.importExternal.
    banner: { js: 'const __bundle = { get url() { return require("node:url").pathToFileURL(__filename).href; } };\nconst __importExternal = module.importExternal ?? ((specifier) => import(specifier));' },
    // Whitespace only (names stay, so stacks still name functions): a quarter less to read, and V8
    // finds line ends in the source to format any error's stack (undici makes one on every close).
    minifyWhitespace: true,
    logLevel: "warning",
    metafile: true,
    write: false,
    outfile: command ? `${COMMAND_OUT_DIR}/${command}.cjs` : OUT,
  });
  if (process.env.BUNDLE_META) writeFileSync(`${process.env.BUNDLE_META}${command ? `.${command}` : ""}`, JSON.stringify(result.metafile));
  const [output] = result.outputFiles;
  const text = escapeNonAscii(routeExternalImports(output.text, result.metafile));
  // What bin/ keys its code cache on: V8 would accept a cache made for other code of the same length.
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 16);
  // Wrapped as Node wraps a CommonJS module, so bin/ compiles the file's text as it is: wrapping it
  // there made V8 copy 1 MB into a new string on every run (and collect garbage sooner).
  return `(function (exports, require, module, __filename, __dirname) {${text}\n})\n// oauth-cli build ${hash}\n`;
}

async function bundleCli() {
  const texts = await Promise.all([undefined, ...OWN_BUNDLES].map(async (command) => [command ? `${COMMAND_OUT_DIR}/${command}.cjs` : OUT, await bundleText(command)]));
  // Replace the bundles (a run of the CLI elsewhere never finds one missing or half written), and
  // clear out earlier builds' other files.
  mkdirSync(COMMAND_OUT_DIR, { recursive: true });
  const wanted = new Set(texts.map(([file]) => file));
  for (const dir of [OUT_DIR, COMMAND_OUT_DIR]) {
    for (const name of readdirSync(dir)) if (join(dir, name) !== COMMAND_OUT_DIR && !wanted.has(join(dir, name))) rmSync(join(dir, name), { recursive: true, force: true });
  }
  for (const [file, text] of texts) {
    writeFileSync(`${file}.${process.pid}.tmp`, text);
    renameSync(`${file}.${process.pid}.tmp`, file);
  }
}

/**
 * What a build is made from: src/, the lock file (the bundled packages' versions), package.json
 * (the version written into the bundle), the tsconfigs and this file. `npm run demo` and `prepare`
 * rebuild only when this hash differs from the one the last build recorded: after `npm ci` built,
 * a demo starts in ~2 s instead of ~20 s.
 */
export const BUILD_INPUTS = ["src", "package-lock.json", "package.json", "tsconfig.json", "tsconfig.build.json", "build.mjs", "scripts"];
const HASH_FILE = "dist/.build-hash";

export function sourcesHash(root = ".") {
  const hash = createHash("sha256");
  for (const input of BUILD_INPUTS) {
    for (const file of listFiles(join(root, input))) {
      hash.update(`${relative(root, file)}\0`).update(readFileSync(file)).update("\0");
    }
  }
  return hash.digest("hex");
}

function listFiles(path) {
  if (!existsSync(path)) return [];
  try {
    return readdirSync(path, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
      .sort();
  } catch (error) {
    if (error.code === "ENOTDIR") return [path];
    throw error;
  }
}

/** True when the last build recorded this same hash and its bundle is still there. */
export function isUpToDate(root = ".") {
  const recorded = join(root, HASH_FILE);
  if (!existsSync(recorded) || !existsSync(join(root, OUT))) return false;
  return readFileSync(recorded, "utf8").trim() === sourcesHash(root);
}

export function recordHash(root = ".") {
  mkdirSync(join(root, "dist"), { recursive: true });
  writeFileSync(join(root, HASH_FILE), `${sourcesHash(root)}\n`);
}

// Run as a script (npm run build); test/bin/build.test.ts imports the plugins instead.
// `--check`: exit 0 when the last build is up to date (saying so), 1 when a build is needed.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === "--check") {
  if (isUpToDate()) {
    console.error("build: up to date (no change in src/, package-lock.json, package.json, tsconfig or build.mjs since the last build); skipped");
  } else {
    process.exitCode = 1;
  }
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await bundleCli();
    recordHash();
  } catch (error) {
    // esbuild has printed each error with its notes; no stack trace on top.
    if (!error?.errors) console.error(error);
    process.exitCode = 1;
  }
}
