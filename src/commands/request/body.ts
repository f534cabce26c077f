import { UsageError } from "../../errors/cli-error.js";
import { readBoundedRegularFile, UnsafeFileError } from "../../fs/safe-file.js";
import type { Session } from "../shared/session.js";
import { expandPath } from "../shared/paths.js";

/** A request body read into memory: far above what an API call sends, far below what hurts. */
const MAX_DATA_FILE_BYTES = 16 * 1024 * 1024;

export interface RequestBody {
  readonly text: string;
  /** What the body looks like, for a Content-Type the user did not give. */
  readonly contentType: string;
}

/**
 * `-d` as curl reads it: the text itself, `@FILE`, or `-` (standard input), with a Content-Type
 * guessed from the content: JSON when it parses as JSON, else a form (curl's default).
 */
export async function readRequestBody(session: Session, data: string): Promise<RequestBody> {
  let text: string;
  if (data === "-") text = await session.readStdin("--data");
  else if (data.startsWith("@")) {
    const path = expandPath(session.ctx, data.slice(1));
    try {
      text = readBoundedRegularFile(path, MAX_DATA_FILE_BYTES, { followSymlinks: true }).text;
    } catch (error) {
      if (error instanceof UnsafeFileError && error.problem !== "missing" && error.problem !== "unreadable") throw new UsageError(`--data: "${data.slice(1)}" ${error.message}`);
      throw new UsageError(`--data: cannot read "${data.slice(1)}" (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
  } else text = data;
  return { text, contentType: looksLikeJson(text) ? "application/json" : "application/x-www-form-urlencoded" };
}

function looksLikeJson(text: string): boolean {
  const t = text.trim();
  if (!t.startsWith("{") && !t.startsWith("[")) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}
