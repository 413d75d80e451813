/**
 * A stand-in for a Cloudflare Access team's certificate endpoint (`https://<team>/cdn-cgi/access/certs`)
 * on loopback: a locally generated RS256 key pair (Access signs with RS256), the public half served as
 * a JWK set, the private half handed to the tests (as a JWK) to sign their own Access JWTs.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";

export const ACCESS_KID = "leadcap-test-key";

export async function startAccessCerts(): Promise<{
  url: string;
  privateJwk: string;
  close(): Promise<void>;
}> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const keys = [{ ...(await exportJWK(publicKey)), kid: ACCESS_KID, alg: "RS256", use: "sig" }];
  const server: Server = createServer((req, res) => {
    if (req.url !== "/cdn-cgi/access/certs") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ keys, public_cert: { kid: ACCESS_KID }, public_certs: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/cdn-cgi/access/certs`,
    privateJwk: JSON.stringify({ ...(await exportJWK(privateKey)), kid: ACCESS_KID, alg: "RS256" }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
