/**
 * Sign-in through Cloudflare Access. When the Worker sits behind an Access application, Access puts a
 * signed JWT on every request (the Cf-Access-Jwt-Assertion header; the CF_Authorization cookie for a
 * browser). It is verified with jose against the team's published keys (signature, audience = the
 * application's AUD, issuer = the team, expiry), and its email is a member's: the member's roles
 * apply. An email that is not a member is refused (403): Access let them in, the owner did not.
 * SSO, MFA and offboarding stay with the company's identity provider.
 */
import type { Context } from "hono";
import { createRemoteJWKSet, jwtVerify } from "jose";
import type { AppEnv, Principal } from "../env.ts";
import { ApiError } from "../errors.ts";
import { peopleStoreFor } from "../stores/index.ts";

type KeySet = ReturnType<typeof createRemoteJWKSet>;
/** One key set per certs URL per isolate: jose caches the keys and refetches on an unknown key id. */
const keySets = new Map<string, KeySet>();

function keySet(url: string): KeySet {
  let set = keySets.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url));
    keySets.set(url, set);
  }
  return set;
}

/** The Access JWT of a request: the header Access adds, else the cookie a browser carries. */
function assertion(c: Context<AppEnv>): string | undefined {
  const header = c.req.header("cf-access-jwt-assertion");
  if (header) return header;
  const cookie = /(?:^|;\s*)CF_Authorization=([^;]+)/.exec(c.req.header("cookie") ?? "");
  return cookie?.[1];
}

/** The member an Access JWT signs in as; null when Access is not configured or the request has none. */
export async function accessPrincipal(c: Context<AppEnv>): Promise<Principal | null> {
  const team = c.env.ACCESS_TEAM_DOMAIN;
  const audience = c.env.ACCESS_AUD;
  const jwt = team && audience ? assertion(c) : undefined;
  if (!jwt) return null;
  const issuer = `https://${team!.replace(/^https?:\/\//, "").replace(/\/+$/, "")}`;
  let email: unknown;
  try {
    const { payload } = await jwtVerify(
      jwt,
      keySet(c.env.ACCESS_CERTS_URL || `${issuer}/cdn-cgi/access/certs`),
      {
        audience: audience!,
        issuer,
        requiredClaims: ["exp"],
      },
    );
    email = payload.email;
  } catch {
    throw new ApiError(
      "unauthorized",
      "The Cloudflare Access sign-in is not valid or has expired; sign in again.",
    );
  }
  // An Access service token (a program, not a person) has no email: its bearer token says who it is.
  if (typeof email !== "string" || !email) return null;
  const member = await peopleStoreFor(c.env).getMember(email.trim().toLowerCase());
  if (!member) throw new ApiError("forbidden", `${email} is not a member here; ask an owner to add you.`);
  return { kind: "member", name: member.email, roles: member.roles, actor: member.email };
}
