/**
 * Sign-in through Cloudflare Access, inside workerd: JWTs signed with the key whose public half the
 * loopback stand-in for `https://<team>/cdn-cgi/access/certs` serves (tests/edge/access-certs.ts).
 * A valid one signs in as the member with its email, whose role per site then applies; a wrong
 * audience, an expired one, a wrong signature or an issuer other than the team is 401; an email that
 * is not a member's is 403.
 */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { generateKeyPair, importJWK, type JWK, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import type { ErrorBody } from "../../shared/errors.ts";
import { adminHeaders, EDGE, unique } from "./helpers.ts";

const TEAM = `https://${env.ACCESS_TEAM_DOMAIN}`;
let key: CryptoKey;

beforeAll(async () => {
  key = (await importJWK(JSON.parse(env.ACCESS_TEST_PRIVATE_JWK) as JWK, "RS256")) as CryptoKey;
});

interface Claims {
  email?: string;
  aud?: string;
  iss?: string;
  exp?: number;
  signWith?: CryptoKey;
}

/** An Access JWT as Cloudflare makes one (RS256, kid of the team's key), with what a test changes. */
function accessJwt(claims: Claims = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  // An empty email: a service token's JWT, which names no person.
  const email = claims.email === "" ? {} : { email: claims.email ?? "nobody@example.com" };
  return new SignJWT({ ...email, type: "app" })
    .setProtectedHeader({ alg: "RS256", kid: "leadcap-test-key" })
    .setAudience(claims.aud ?? env.ACCESS_AUD!)
    .setIssuer(claims.iss ?? TEAM)
    .setIssuedAt(now - 60)
    .setExpirationTime(claims.exp ?? now + 600)
    .setSubject(unique("user-"))
    .sign(claims.signWith ?? key);
}

function admin(path: string, headers: Record<string, string>, init: RequestInit = {}) {
  return exports.default.fetch(new Request(`${EDGE}/v1/admin${path}`, { ...init, headers }));
}

async function addMember(email: string, roles: Record<string, string>) {
  const res = await admin(
    `/members/${encodeURIComponent(email)}`,
    { ...adminHeaders, "content-type": "application/json" },
    {
      method: "PUT",
      body: JSON.stringify({ roles }),
    },
  );
  expect(res.status).toBe(201);
}

describe("Cloudflare Access sign-in", () => {
  it("signs in as the member with the JWT's email: their role per site applies", async () => {
    const email = `${unique("ana")}@example.com`;
    await addMember(email, { demo: "analyst", strict: "editor" });
    const headers = { "cf-access-jwt-assertion": await accessJwt({ email: email.toUpperCase() }) };
    const me = await admin("/me", headers);
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({
      kind: "member",
      name: email,
      roles: { demo: "analyst", strict: "editor" },
    });
    expect((await admin("/leads?site=demo", headers)).status).toBe(200);
    expect((await admin("/sites/demo/config", headers)).status).toBe(403);
    expect((await admin("/sites/strict/config", headers)).status).toBe(200);
  });

  it("reads the CF_Authorization cookie a browser carries", async () => {
    const email = `${unique("own")}@example.com`;
    await addMember(email, { "*": "owner" });
    const res = await admin("/me", { cookie: `other=1; CF_Authorization=${await accessJwt({ email })}` });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { kind: string }).kind).toBe("member");
  });

  it("refuses a JWT for another application, an expired one, one signed with another key, or from another team", async () => {
    const email = `${unique("ana")}@example.com`;
    await addMember(email, { demo: "owner" });
    const { privateKey: stranger } = await generateKeyPair("RS256");
    const bad = [
      await accessJwt({ email, aud: "another-application" }),
      await accessJwt({ email, exp: Math.floor(Date.now() / 1000) - 30 }),
      await accessJwt({ email, signWith: stranger }),
      await accessJwt({ email, iss: "https://another-team.cloudflareaccess.com" }),
      "not-a-jwt",
    ];
    for (const jwt of bad) {
      const res = await admin("/me", { "cf-access-jwt-assertion": jwt });
      expect(res.status, jwt.slice(0, 40)).toBe(401);
      expect(((await res.json()) as ErrorBody).error.code).toBe("unauthorized");
    }
  });

  it("refuses a valid JWT whose email is not a member's (403), and a removed member", async () => {
    const res = await admin("/me", {
      "cf-access-jwt-assertion": await accessJwt({ email: "stranger@example.com" }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).error.code).toBe("forbidden");
    const email = `${unique("gone")}@example.com`;
    await addMember(email, { demo: "editor" });
    const jwt = await accessJwt({ email });
    expect((await admin("/me", { "cf-access-jwt-assertion": jwt })).status).toBe(200);
    expect(
      (await admin(`/members/${encodeURIComponent(email)}`, adminHeaders, { method: "DELETE" })).status,
    ).toBe(200);
    expect((await admin("/me", { "cf-access-jwt-assertion": jwt })).status).toBe(403);
  });

  it("takes a change signed in through Access only from the console's own origin (the cookie goes cross-site too)", async () => {
    const email = `${unique("ed")}@example.com`;
    await addMember(email, { demo: "editor" });
    const cookie = `CF_Authorization=${await accessJwt({ email })}`;
    const replay = (origin?: string) =>
      admin(
        "/deliveries/replay?site=demo",
        {
          cookie,
          "content-type": "application/json",
          ...(origin ? { origin } : {}),
        },
        { method: "POST", body: JSON.stringify({ site: "demo", since: new Date().toISOString() }) },
      );
    // Reading is fine from anywhere the browser sends the cookie with: CORS keeps the answer from other pages.
    expect((await admin("/me", { cookie })).status).toBe(200);
    for (const origin of ["https://evil.example", undefined]) {
      const res = await replay(origin);
      expect(res.status, String(origin)).toBe(403);
      expect(((await res.json()) as ErrorBody).error.code).toBe("forbidden");
    }
    expect((await replay(EDGE)).status).toBe(200);
  });

  it("answers the console's public probe: a member's sign-in or none, never an error", async () => {
    const email = `${unique("probe")}@example.com`;
    await addMember(email, { demo: "analyst" });
    const probe = async (headers: Record<string, string>) => {
      const res = await exports.default.fetch(new Request(`${EDGE}/v1/access`, { headers }));
      expect(res.status).toBe(200);
      return res.json();
    };
    expect(await probe({})).toEqual({ signedIn: false });
    expect(await probe({ cookie: `CF_Authorization=${await accessJwt({ email })}` })).toEqual({
      signedIn: true,
      email,
    });
    expect(
      await probe({ cookie: `CF_Authorization=${await accessJwt({ email: "stranger@example.com" })}` }),
    ).toEqual({ signedIn: false });
    expect(await probe({ "cf-access-jwt-assertion": "not.a.jwt" })).toEqual({ signedIn: false });
  });

  it("lets an Access service token (no email) through to the bearer token it carries", async () => {
    const jwt = await accessJwt({ email: "" });
    const res = await admin("/me", { "cf-access-jwt-assertion": jwt, ...adminHeaders });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { kind: string }).kind).toBe("bootstrap");
    expect((await admin("/me", { "cf-access-jwt-assertion": jwt })).status).toBe(401);
  });
});
