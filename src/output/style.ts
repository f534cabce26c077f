import type { Context, OutputStream } from "../context.js";

/** The few styles we use. Identity functions when colour is off. */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const plain: Style = {
  enabled: false,
  bold: (t) => t,
  dim: (t) => t,
  red: (t) => t,
  green: (t) => t,
  yellow: (t) => t,
  cyan: (t) => t,
};

/** Colour only on a TTY, never with NO_COLOR (https://no-color.org), forced with FORCE_COLOR. */
export function colorWanted(ctx: Context, stream: OutputStream): boolean {
  if (ctx.env.NO_COLOR !== undefined && ctx.env.NO_COLOR !== "") return false;
  if (ctx.env.FORCE_COLOR !== undefined && ctx.env.FORCE_COLOR !== "0") return true;
  return stream.isTTY && ctx.env.TERM !== "dumb";
}

/** chalk is loaded only when colour is actually wanted: it costs start-up time otherwise. */
export async function styleFor(ctx: Context, stream: OutputStream): Promise<Style> {
  if (!colorWanted(ctx, stream)) return plain;
  const { Chalk } = await import("chalk");
  const chalk = new Chalk({ level: 1 });
  return {
    enabled: true,
    bold: (t) => chalk.bold(t),
    dim: (t) => chalk.dim(t),
    red: (t) => chalk.red(t),
    green: (t) => chalk.green(t),
    yellow: (t) => chalk.yellow(t),
    cyan: (t) => chalk.cyan(t),
  };
}

export const plainStyle = plain;
