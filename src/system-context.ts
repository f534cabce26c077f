import { randomBytes } from "node:crypto";
import { homedir } from "node:os";
import type { Context, Prompter } from "./context.js";
import { createHttpClient } from "./http/send.js";

function readAllStdin(options: { until?: (lines: readonly string[]) => boolean } = {}): Promise<string> {
  const { until } = options;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let text = "";
    const decoder = new TextDecoder();
    const finish = () => {
      process.stdin.off("data", onData);
      process.stdin.pause();
      resolve(until ? text : Buffer.concat(chunks).toString("utf8"));
    };
    const onData = (chunk: Buffer) => {
      if (!until) return void chunks.push(chunk);
      text += decoder.decode(chunk, { stream: true });
      // A terminal delivers a line at a time: stop as soon as the paste is complete.
      if (text.endsWith("\n") && until(text.slice(0, -1).split("\n"))) finish();
    };
    process.stdin.on("data", onData);
    process.stdin.once("end", finish);
    process.stdin.once("error", reject);
  });
}

/** Opens the browser with `open`; rejects when there is clearly no way to show one. */
async function openBrowser(url: string): Promise<void> {
  if (process.platform === "linux" && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && !process.env.BROWSER) {
    throw new Error("no display (DISPLAY/WAYLAND_DISPLAY unset)");
  }
  const { default: open } = await import("open");
  const child = await open(url);
  await new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => (code ? reject(new Error(`the browser opener exited with status ${code}`)) : resolve()));
    // Some openers stay alive as the browser itself; not hearing back quickly is success.
    setTimeout(resolve, 2000).unref();
  });
}

/**
 * A stream writer that stops quietly when the reader goes away (`oauth-cli … | head`): EPIPE is
 * the reader's choice, not our failure.
 */
function pipeSafe(stream: NodeJS.WriteStream): (chunk: string) => void {
  let closed = false;
  stream.on("error", () => {
    closed = true;
  });
  return (chunk) => {
    if (!closed) stream.write(chunk);
  };
}

/** Bytes at the reader's pace: waits for 'drain' when the stream's buffer is full; a gone reader (EPIPE) ends it quietly. */
function bytesAtReadersPace(stream: NodeJS.WriteStream): (chunk: Uint8Array) => Promise<void> {
  let closed = false;
  stream.on("error", () => {
    closed = true;
  });
  return (chunk) =>
    new Promise<void>((resolve) => {
      if (closed || stream.write(chunk)) return resolve();
      const done = () => {
        stream.off("drain", done);
        stream.off("error", done);
        resolve();
      };
      stream.on("drain", done);
      stream.on("error", done);
    });
}

/** The only place that touches process and the real world. */
export function systemContext(): Context {
  const interrupt = new AbortController();
  // Ctrl-C, and SIGTERM (kill, docker stop, CI time-outs), end a run the same way, so listeners and
  // servers close cleanly. A second signal stops waiting for clean-up and dies the usual way.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const onSignal = () => {
      if (!interrupt.signal.aborted) return interrupt.abort();
      process.off(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
  const now = () => Date.now();
  let prompter: Promise<Prompter | undefined> | undefined;
  return {
    stdout: {
      write: pipeSafe(process.stdout),
      isTTY: !!process.stdout.isTTY,
      get columns() {
        return process.stdout.isTTY ? process.stdout.columns : undefined;
      },
      writeBytes: bytesAtReadersPace(process.stdout),
    },
    stderr: {
      write: pipeSafe(process.stderr),
      isTTY: !!process.stderr.isTTY,
      get columns() {
        return process.stderr.isTTY ? process.stderr.columns : undefined;
      },
    },
    stdin: {
      // Asked only by runs that read standard input: creating process.stdin (for a file or /dev/null,
      // Node's fs streams) costs ~6 ms at start-up.
      get isTTY() {
        return !!process.stdin.isTTY;
      },
      readAll: readAllStdin,
    },
    env: process.env,
    http: createHttpClient(process.env, now),
    now,
    randomBytes: (size) => randomBytes(size),
    openBrowser,
    prompter() {
      if (!process.stdin.isTTY || !process.stderr.isTTY) return Promise.resolve(undefined);
      prompter ??= import("./inquirer-prompter.js").then((m) => m.createPrompter(interrupt.signal));
      return prompter;
    },
    signal: interrupt.signal,
    cwd: process.cwd(),
    homedir: homedir(),
  };
}
