// link-probe: timed HTTP exchanges, plain or inside TLS, that read pieces, bytes and the far side's close on the TCP connection itself.
import net from "node:net";
import tls from "node:tls";
import { describe, expect, it } from "vitest";
import { createCertificateAuthority, issueCertificate } from "../../../harness/cluster/certificates.ts";
import { exchange } from "../../../harness/cluster/link-probe.ts";

const body = "x".repeat(300);
const answer = `HTTP/1.0 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

/** A TCP relay in front of `target` that holds back what flows toward the client by `latencyMs` and its close by `closeDelayMs`, as toxiproxy's latency and slow_close do. */
async function slowRelay(target: number, closeDelayMs: number, latencyMs = 0): Promise<net.Server> {
  const relay = net.createServer((client) => {
    const upstream = net.connect(target, "127.0.0.1");
    client.pipe(upstream);
    upstream.on("data", (data) => (latencyMs > 0 ? setTimeout(() => client.write(data), latencyMs) : client.write(data)));
    upstream.on("end", () => setTimeout(() => client.end(), latencyMs + closeDelayMs));
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  return relay;
}

const portOf = (server: net.Server): number => (server.address() as net.AddressInfo).port;

describe("exchange", () => {
  it("over TLS with a client certificate: answered, and a held-back TCP close shows after the TLS close", async () => {
    const ca = await createCertificateAuthority("probe CA");
    const server = await issueCertificate(ca, { commonName: "n1", dnsNames: ["peer-1"], usages: ["server"] });
    const client = await issueCertificate(ca, { commonName: "probe", usages: ["client"] });
    const tlsServer = tls.createServer({ cert: server.cert, key: server.key, ca: ca.cert, requestCert: true, rejectUnauthorized: true }, (socket) => {
      socket.once("data", () => socket.end(answer));
      socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => tlsServer.listen(0, "127.0.0.1", resolve));
    const relay = await slowRelay(portOf(tlsServer), 400);
    const slow = await slowRelay(portOf(tlsServer), 0, 150);
    try {
      const secure = { ca: ca.cert, cert: client.cert, key: client.key };
      const answered = await exchange(`127.0.0.1:${portOf(tlsServer)}`, { path: "/version", timeoutMs: 3000 }, secure);
      expect(answered, JSON.stringify(answered)).toMatchObject({ ended: "answered", status: 200 });
      // Ciphertext crossed the wire: more bytes than the plain answer.
      expect(answered.bytes).toBeGreaterThan(answer.length);
      const closed = await exchange(`127.0.0.1:${portOf(relay)}`, { path: "/version", close: true, timeoutMs: 3000 }, secure);
      expect(closed).toMatchObject({ ended: "closed", status: 200 });
      expect(closed.endMs - closed.lastByteMs!).toBeGreaterThanOrEqual(300);
      // Latency shows in the answer's first byte, counted from the end of the handshake.
      const delayed = await exchange(`127.0.0.1:${portOf(slow)}`, { path: "/version", timeoutMs: 3000 }, secure);
      expect(delayed, JSON.stringify(delayed)).toMatchObject({ ended: "answered", status: 200 });
      expect(delayed.firstByteMs).toBeGreaterThanOrEqual(140);
      // Without the run's client certificate the far side refuses the handshake: no answer.
      const refused = await exchange(`127.0.0.1:${portOf(tlsServer)}`, { path: "/version", timeoutMs: 2000 }, { ...secure, cert: server.cert, key: server.key, ca: (await createCertificateAuthority("other")).cert });
      expect(refused.status).toBeUndefined();
    } finally {
      relay.close();
      slow.close();
      tlsServer.close();
    }
  });
});
