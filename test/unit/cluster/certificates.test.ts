// certificates: a run's CA signs server, peer and client certificates that OpenSSL accepts for mutual TLS, with exactly the names asked for.
import { X509Certificate } from "node:crypto";
import tls from "node:tls";
import { describe, expect, it } from "vitest";
import { createCertificateAuthority, issueCertificate } from "../../../harness/cluster/certificates.ts";

describe("certificates", () => {
  it("issues certificates the CA verifies, with the requested names and usages", async () => {
    const ca = await createCertificateAuthority("test CA");
    const peer = await issueCertificate(ca, { commonName: "n2", dnsNames: ["peer-2"], ips: ["172.20.0.3"], usages: ["server", "client"] });
    const client = await issueCertificate(ca, { commonName: "workload", usages: ["client"] });
    const caCert = new X509Certificate(ca.cert);
    const peerCert = new X509Certificate(peer.cert);
    const clientCert = new X509Certificate(client.cert);
    expect(caCert.ca).toBe(true);
    expect(peerCert.ca).toBe(false);
    expect(peerCert.checkIssued(caCert) && peerCert.verify(caCert.publicKey)).toBe(true);
    expect(peerCert.subject).toBe("CN=n2");
    expect(peerCert.subjectAltName).toBe("DNS:peer-2, IP Address:172.20.0.3");
    expect(peerCert.keyUsage).toEqual(expect.arrayContaining(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]));
    // A client certificate names no address: etcd would check it against the connection's source.
    expect(clientCert.subjectAltName).toBeUndefined();
    expect(clientCert.keyUsage).toEqual(["1.3.6.1.5.5.7.3.2"]);
    expect(clientCert.verify(caCert.publicKey)).toBe(true);
    // Another run's CA does not vouch for them.
    const other = new X509Certificate((await createCertificateAuthority("other CA")).cert);
    expect(peerCert.verify(other.publicKey)).toBe(false);
  });

  it("makes a mutual TLS connection on 127.0.0.1 work, and one without a client certificate fail", async () => {
    const ca = await createCertificateAuthority("test CA");
    const server = await issueCertificate(ca, { commonName: "n1", dnsNames: ["localhost"], ips: ["127.0.0.1"], usages: ["server", "client"] });
    const client = await issueCertificate(ca, { commonName: "root", usages: ["client"] });
    const listener = tls.createServer({ cert: server.cert, key: server.key, ca: ca.cert, requestCert: true, rejectUnauthorized: true }, (socket) => socket.end(`hello ${socket.getPeerCertificate().subject.CN}`));
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    const port = (listener.address() as { port: number }).port;
    const connect = (withCertificate: boolean): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = tls.connect({ host: "127.0.0.1", port, servername: "localhost", ca: ca.cert, ...(withCertificate ? { cert: client.cert, key: client.key } : {}) }, () => undefined);
        let text = "";
        socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
        socket.on("end", () => resolve(text));
        socket.on("error", reject);
      });
    try {
      expect(await connect(true)).toBe("hello root");
      await expect(connect(false)).rejects.toThrow();
    } finally {
      listener.close();
    }
  });
});
