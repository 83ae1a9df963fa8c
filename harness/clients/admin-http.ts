// GET on a member's own client port (/metrics, /debug/vars), over TLS with the harness's client certificate when the cluster has TLS on its client links.
import https from "node:https";
import type { ClientTls } from "./etcd-client.ts";

/** Where a member's own client port answers, and the TLS it asks for (none for a plain-text cluster). */
export interface AdminPort {
  readonly adminEndpoint: string;
  readonly adminTls?: ClientTls | undefined;
}

/** The body of GET `pathname` on the member's client port; throws on any status but 200. */
export async function adminGet(port: AdminPort, pathname: string, timeoutMs: number): Promise<string> {
  if (!port.adminTls) {
    const response = await fetch(`http://${port.adminEndpoint}${pathname}`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`GET ${pathname} on ${port.adminEndpoint}: HTTP ${response.status}, expected 200`);
    return response.text();
  }
  const tls = port.adminTls;
  // The endpoint is an address, which TLS may not carry as a server name; every member's certificate also names localhost.
  return new Promise((resolve, reject) => {
    const request = https.get(`https://${port.adminEndpoint}${pathname}`, { ca: tls.ca, cert: tls.cert, key: tls.key, timeout: timeoutMs, servername: "localhost" }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        if (response.statusCode !== 200) reject(new Error(`GET ${pathname} on ${port.adminEndpoint}: HTTP ${response.statusCode}, expected 200`));
        else resolve(Buffer.concat(chunks).toString("utf8"));
      });
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`GET ${pathname} on ${port.adminEndpoint}: no answer within ${timeoutMs}ms`)));
    request.on("error", reject);
  });
}
