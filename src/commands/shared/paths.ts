import { isAbsolute, resolve } from "node:path";
import type { Context } from "../../context.js";

/** `~/…` is expanded (a profile's store path is not seen by a shell); relative paths start at the cwd. */
export function expandPath(ctx: Pick<Context, "homedir" | "cwd">, path: string): string {
  const home = path === "~" || path.startsWith("~/") ? `${ctx.homedir}${path.slice(1)}` : path;
  return isAbsolute(home) ? home : resolve(ctx.cwd, home);
}
