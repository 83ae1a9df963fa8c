// A run's own certificate authority and the certificates it signs (members' server and peer certificates, clients'), as PEM.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const validForMs = 7 * 24 * 3_600_000;

/** A P-256 key pair, typed as the x509 library's (DOM) WebCrypto types, which Node's are at run time. */
async function generateKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as unknown as CryptoKeyPair;
}

export interface PemPair {
  cert: string;
  key: string;
}

export interface CertificateAuthority {
  /** The CA certificate (PEM), which every member and client trusts. */
  readonly cert: string;
  readonly certificate: x509.X509Certificate;
  readonly keys: CryptoKeyPair;
}

export interface CertificateRequest {
  commonName: string;
  /** Host names and IP addresses the certificate is good for (subject alternative names). */
  dnsNames?: string[];
  ips?: string[];
  /** serverAuth, clientAuth or both (etcd's peer certificates serve and dial). */
  usages: Array<"server" | "client">;
}

export async function createCertificateAuthority(commonName: string): Promise<CertificateAuthority> {
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + validForMs),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: certificate.toString("pem"), certificate, keys };
}

/** A certificate signed by `ca`, with a fresh key. */
export async function issueCertificate(ca: CertificateAuthority, request: CertificateRequest): Promise<PemPair> {
  const keys = await generateKeys();
  const usages = request.usages.map((usage) => (usage === "server" ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth));
  const names = [...(request.dnsNames ?? []).map((value) => ({ type: "dns" as const, value })), ...(request.ips ?? []).map((value) => ({ type: "ip" as const, value }))];
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${request.commonName}`,
    issuer: ca.certificate.subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + validForMs),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension(usages),
      ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : []),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey as unknown as webcrypto.CryptoKey);
  return { cert: certificate.toString("pem"), key: x509.PemConverter.encode(pkcs8, "PRIVATE KEY") };
}

/** A positive serial number of 16 random bytes. */
function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f;
  return Buffer.from(bytes).toString("hex");
}
