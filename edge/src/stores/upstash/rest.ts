/**
 * The few Upstash REST calls the Upstash adapter makes, without the whole @upstash/redis client in the
 * Worker bundle (its Redis class carries every command, search and vector: ~25 KB gzip, most of the
 * Worker's 64 KB budget). Same wire behaviour as @upstash/redis: Bearer token, `Upstash-Encoding:
 * base64`, commands issued in one tick sent together to /pipeline (one round trip), network errors
 * retried with the same backoff. The contract suite runs the adapter over both clients.
 */

/** The commands the adapter uses; @upstash/redis's Redis satisfies it too. */
export interface RedisCommands {
  evalsha(sha1: string, keys: string[], args: (string | number)[]): Promise<unknown>;
  eval(script: string, keys: string[], args: (string | number)[]): Promise<unknown>;
  get(key: string): Promise<unknown>;
  hget(key: string, field: string): Promise<unknown>;
  hmget(key: string, ...fields: string[]): Promise<unknown>;
  hgetall(key: string): Promise<unknown>;
  hincrby(key: string, field: string, increment: number): Promise<number>;
  rpush(key: string, ...elements: string[]): Promise<number>;
  lrange(key: string, start: number, end: number): Promise<unknown>;
}

/** A script's reply: text, integers, nil (null/false) and arrays of them. */
export type ScriptReply = string | number | null | false | ScriptReply[];

const shas = new Map<string, Promise<string>>();

function sha1(script: string): Promise<string> {
  let sha = shas.get(script);
  if (!sha) {
    sha = crypto.subtle
      .digest("SHA-1", new TextEncoder().encode(script))
      .then((buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join(""));
    shas.set(script, sha);
  }
  return sha;
}

/** EVALSHA, and EVAL once if this Redis has not seen the script yet (NOSCRIPT). */
export async function runScript(
  redis: Pick<RedisCommands, "evalsha" | "eval">,
  script: string,
  keys: string[],
  args: (string | number)[],
): Promise<ScriptReply> {
  const sha = await sha1(script);
  try {
    return (await redis.evalsha(sha, keys, args)) as ScriptReply;
  } catch (error) {
    if (!(error instanceof Error && error.message.includes("NOSCRIPT"))) throw error;
    return (await redis.eval(script, keys, args)) as ScriptReply;
  }
}

export interface UpstashRestConfig {
  url: string;
  token: string;
  /** Attempts after a network error (the request may have run: callers must be idempotent). @default 5 */
  retries?: number;
  /** Milliseconds before retry `i`. @default (i) => Math.exp(i) * 50, as @upstash/redis */
  backoff?: (retry: number) => number;
}

type Arg = string | number;
interface Pending {
  command: Arg[];
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class UpstashCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UpstashCommandError";
  }
}

function decode(value: unknown): unknown {
  if (typeof value === "string") {
    const bytes = Uint8Array.from(atob(value), (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  }
  return Array.isArray(value) ? value.map(decode) : value;
}

export class UpstashRest implements RedisCommands {
  readonly #url: string;
  readonly #headers: Record<string, string>;
  readonly #retries: number;
  readonly #backoff: (retry: number) => number;
  #batch: Pending[] | null = null;

  constructor(config: UpstashRestConfig) {
    this.#url = config.url.replace(/\/$/, "");
    this.#headers = {
      authorization: `Bearer ${config.token}`,
      "content-type": "application/json",
      "upstash-encoding": "base64",
    };
    this.#retries = config.retries ?? 5;
    this.#backoff = config.backoff ?? ((i) => Math.exp(i) * 50);
  }

  evalsha(sha1: string, keys: string[], args: Arg[]) {
    return this.#call(["EVALSHA", sha1, keys.length, ...keys, ...args]);
  }
  eval(script: string, keys: string[], args: Arg[]) {
    return this.#call(["EVAL", script, keys.length, ...keys, ...args]);
  }
  get(key: string) {
    return this.#call(["GET", key]);
  }
  hget(key: string, field: string) {
    return this.#call(["HGET", key, field]);
  }
  hmget(key: string, ...fields: string[]) {
    return this.#call(["HMGET", key, ...fields]);
  }
  hgetall(key: string) {
    return this.#call(["HGETALL", key]);
  }
  hincrby(key: string, field: string, increment: number) {
    return this.#call(["HINCRBY", key, field, increment]) as Promise<number>;
  }
  rpush(key: string, ...elements: string[]) {
    return this.#call(["RPUSH", key, ...elements]) as Promise<number>;
  }
  lrange(key: string, start: number, end: number) {
    return this.#call(["LRANGE", key, start, end]);
  }

  /** Queues the command; everything queued in the same tick leaves as one /pipeline request. */
  #call(command: Arg[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (!this.#batch) {
        const batch: Pending[] = [];
        this.#batch = batch;
        queueMicrotask(() => {
          this.#batch = null;
          this.#send(batch).catch((error: unknown) => {
            for (const p of batch) p.reject(error instanceof Error ? error : new Error(String(error)));
          });
        });
      }
      this.#batch.push({ command, resolve, reject });
    });
  }

  async #send(batch: Pending[]): Promise<void> {
    const body = JSON.stringify(batch.map((p) => p.command));
    let response: Response | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        response = await fetch(`${this.#url}/pipeline`, { method: "POST", headers: this.#headers, body });
        break;
      } catch (error) {
        if (attempt >= this.#retries) throw error;
        await new Promise((resolve) => setTimeout(resolve, this.#backoff(attempt)));
      }
    }
    const replies = (await response.json()) as { result?: unknown; error?: string }[] | { error?: string };
    if (!response.ok || !Array.isArray(replies)) {
      throw new UpstashCommandError(`${(replies as { error?: string }).error ?? response.status}`);
    }
    batch.forEach((p, i) => {
      const reply = replies[i];
      if (!reply || reply.error !== undefined) p.reject(new UpstashCommandError(reply?.error ?? "no reply"));
      else p.resolve(decode(reply.result));
    });
  }
}
