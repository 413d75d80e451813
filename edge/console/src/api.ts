/**
 * The admin API client: bearer token from the session, one error type, and a 401 anywhere sends the
 * visitor back to sign-in. Response shapes are the types inferred from the API schemas in shared/api
 * (type-only imports: no zod here; the edge validates everything the console sends).
 */

import type {
  AllowOriginAnswer,
  CalibrationProposal,
  ServedConfig,
  SiteSummary,
  VersionDetail,
  VersionInfo,
  VersionList,
} from "../../../shared/api/config.ts";
import type {
  Attempt,
  BulkReplayAnswer,
  Delivery,
  DeliveryDetail,
  DeliveryPage,
  DeliverySummary,
  DestinationHealth,
  DestinationList,
  ReplayAnswer,
  ResumeAnswer,
  TestResult,
} from "../../../shared/api/deliveries.ts";
import type {
  LeadEventRecord,
  LeadPage,
  OutcomeAnswer,
  OutcomesAnswer,
  StageChange,
} from "../../../shared/api/leads.ts";
import type { SiteMetrics } from "../../../shared/api/metrics.ts";
import type { PublicFormConfig, PublicSiteConfig } from "../../../shared/api/sites.ts";
import type { CaptureHealth } from "../../../shared/capture.ts";
import type { Lead, SubmissionRecord } from "../../../shared/lead.ts";
import { type Session, session, signOut } from "./session.ts";

/** The answers' shapes, for the screens (shared/api: the types inferred from the API's schemas). */
export type {
  AllowOriginAnswer,
  Attempt,
  BulkReplayAnswer,
  CalibrationProposal,
  CaptureHealth,
  Delivery,
  DeliveryDetail,
  DeliveryPage,
  DeliverySummary,
  DestinationHealth,
  DestinationList,
  Lead,
  LeadEventRecord,
  LeadPage,
  OutcomeAnswer,
  OutcomesAnswer,
  PublicFormConfig,
  PublicSiteConfig,
  ReplayAnswer,
  ResumeAnswer,
  ServedConfig,
  SiteMetrics,
  SiteSummary,
  StageChange,
  SubmissionRecord,
  TestResult,
  VersionDetail,
  VersionInfo,
  VersionList,
};

/** An answer that was not 2xx, in the API's error shape `{ error: { code, message, fields? } }`. */
export class ApiFailure extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string> | undefined;
  constructor(status: number, code: string, message: string, fields?: Record<string, string>) {
    super(message);
    this.name = "ApiFailure";
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

interface Options {
  method?: string;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Sign-in checks a token before there is a session. */
  as?: Session;
  /** Public routes (site settings) need no token. */
  anonymous?: boolean;
}

async function send(path: string, options: Options = {}): Promise<Response> {
  const current = options.as ?? session.value;
  if (!current) throw new ApiFailure(401, "unauthorized", "Sign in first.");
  const headers: Record<string, string> = {};
  // Signed in through Cloudflare Access there is no token: the browser's Access cookie is the sign-in.
  if (!options.anonymous && current.token) headers.authorization = `Bearer ${current.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(`${current.edge}${path}`, {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
      // The public settings are cacheable for a minute (for the widget); the console shows what was
      // just saved, so it revalidates.
      ...(options.anonymous ? { cache: "no-cache" as const } : {}),
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiFailure(0, "network", `The edge at ${current.edge} did not answer. Is it running?`);
  }
  if (res.ok) return res;
  let code = "http_error";
  let message = `The edge answered ${res.status}.`;
  let fields: Record<string, string> | undefined;
  try {
    const body = (await res.json()) as {
      error?: { code?: string; message?: string; fields?: Record<string, string> };
    };
    code = body.error?.code ?? code;
    message = body.error?.message ?? message;
    fields = body.error?.fields;
  } catch {
    // not JSON: keep the generic message
  }
  // A session whose token stopped working ends here; a sign-in attempt reports it on its own form.
  if (res.status === 401 && !options.as)
    signOut("Your admin token was not accepted any more. Sign in again.");
  throw new ApiFailure(res.status, code, message, fields);
}

export async function api<T>(path: string, options: Options = {}): Promise<T> {
  return (await (await send(path, options)).json()) as T;
}

export async function apiText(path: string, options: Options = {}): Promise<string> {
  return (await send(path, options)).text();
}

/** `?a=1&b=2` from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export function describeError(error: unknown): string {
  if (error instanceof ApiFailure) return error.message;
  return error instanceof Error ? error.message : String(error);
}

export const isAbort = (error: unknown) => error instanceof Error && error.name === "AbortError";
