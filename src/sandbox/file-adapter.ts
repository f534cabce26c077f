import { readBoundedRegularFile, UnsafeFileError, writeFileAtomically } from "../fs/safe-file.js";

type Payload = Record<string, unknown>;
interface Entry {
  payload: Payload;
  /** ms since epoch; absent = no expiry. */
  expiresAt?: number;
}
interface StateFile {
  version: 1;
  jwks?: { keys: Record<string, unknown>[] };
  entries: Record<string, Entry>;
}

/**
 * The sandbox's oidc-provider storage: one map per sandbox (so sandboxes in one process never
 * share state), optionally mirrored to a JSON file after every change (atomic temp + rename),
 * so codes, tokens, grants and sessions survive a restart.
 * @see https://github.com/panva/node-oidc-provider/blob/main/example/my_adapter.js
 */
export class SandboxStore {
  private readonly state: StateFile;

  constructor(private readonly path?: string) {
    this.state = (path ? load(path) : undefined) ?? { version: 1, entries: {} };
  }

  get jwks(): StateFile["jwks"] {
    return this.state.jwks;
  }

  set jwks(value: StateFile["jwks"]) {
    this.state.jwks = value;
    this.save();
  }

  get(key: string): Payload | undefined {
    const entry = this.state.entries[key];
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt + graceFor(key) <= Date.now()) {
      delete this.state.entries[key];
      return undefined;
    }
    return entry.payload;
  }

  set(key: string, payload: Payload, expiresInSeconds?: number): void {
    const entry: Entry = { payload };
    if (typeof expiresInSeconds === "number") entry.expiresAt = Date.now() + expiresInSeconds * 1000;
    this.state.entries[key] = entry;
    this.save();
  }

  update(key: string, change: (payload: Payload) => void): void {
    const payload = this.get(key);
    if (!payload) return;
    change(payload);
    this.save();
  }

  delete(keys: string[]): void {
    for (const key of keys) delete this.state.entries[key];
    this.save();
  }

  /** Keys of live entries of one model whose payload matches. */
  findKeys(model: string | undefined, match: (payload: Payload) => boolean): string[] {
    return Object.keys(this.state.entries).filter((key) => {
      if (model !== undefined && !key.startsWith(`${model}:`)) return false;
      const payload = this.get(key);
      return payload !== undefined && match(payload);
    });
  }

  private save(): void {
    if (!this.path) return;
    // A random temp name, O_EXCL|O_NOFOLLOW: a predictable one let a planted symlink receive the private key.
    // Not fsynced: the sandbox writes on every change, and its state is for debugging.
    try {
      writeFileAtomically(this.path, JSON.stringify(this.state), { durable: false });
    } catch (error) {
      throw new Error(`sandbox state file ${this.path} cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }
}

/**
 * Expired codes and tokens stay readable a while: oidc-provider checks their expiry itself, so a
 * client hears "authorization code is expired" instead of "not found", as it would from most
 * real providers. Only token models: they all refuse expired entries on their own.
 */
const EXPIRED_TOKEN_GRACE_MS = 10 * 60 * 1000;
const TOKEN_MODELS = ["AuthorizationCode:", "RefreshToken:", "AccessToken:", "ClientCredentials:", "DeviceCode:"];

function graceFor(key: string): number {
  return TOKEN_MODELS.some((model) => key.startsWith(model)) ? EXPIRED_TOKEN_GRACE_MS : 0;
}

/** Sessions, grants and tokens of a debugging server: a few MiB at the very most. */
const MAX_STATE_BYTES = 64 * 1024 * 1024;

function load(path: string): StateFile | undefined {
  let text: string;
  try {
    text = readBoundedRegularFile(path, MAX_STATE_BYTES, { followSymlinks: true }).text;
  } catch (error) {
    if (error instanceof UnsafeFileError && error.problem === "missing") return undefined;
    throw error instanceof UnsafeFileError ? new Error(`sandbox state file ${path} ${error.message}`) : error;
  }
  const parsed = JSON.parse(text) as Partial<StateFile>;
  if (parsed.version !== 1 || typeof parsed.entries !== "object" || parsed.entries === null) {
    throw new Error(`sandbox state file ${path} is not a sandbox state file (version 1)`);
  }
  return parsed as StateFile;
}

/** An oidc-provider adapter class bound to one store. */
export function createAdapter(store: SandboxStore) {
  return class SandboxAdapter {
    constructor(private readonly model: string) {}

    private key(id: string): string {
      return `${this.model}:${id}`;
    }

    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      store.set(this.key(id), payload, expiresIn);
    }

    async find(id: string): Promise<Payload | undefined> {
      return store.get(this.key(id));
    }

    async findByUserCode(userCode: string): Promise<Payload | undefined> {
      const [key] = store.findKeys(this.model, (p) => p.userCode === userCode);
      return key ? store.get(key) : undefined;
    }

    async findByUid(uid: string): Promise<Payload | undefined> {
      const [key] = store.findKeys(this.model, (p) => p.uid === uid);
      return key ? store.get(key) : undefined;
    }

    async consume(id: string): Promise<void> {
      store.update(this.key(id), (p) => {
        p.consumed = Math.floor(Date.now() / 1000);
      });
    }

    async destroy(id: string): Promise<void> {
      store.delete([this.key(id)]);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      store.delete(store.findKeys(undefined, (p) => p.grantId === grantId));
    }
  };
}
