// A secure cluster's material and set-up: its certificates and JWT keys (made per cluster), its TLS and token flags, its users, and turning auth on.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Etcd3 } from "etcd3";
import type { ClientCredentials, ClientTls } from "../clients/etcd-client.ts";
import { createCertificateAuthority, issueCertificate, type CertificateAuthority, type PemPair } from "./certificates.ts";
import { peerHost, ordinalOf } from "./topology.ts";

export type TlsLinks = "client" | "peer" | "both";

export interface AuthSpec {
  token: "simple" | "jwt";
  /** The key prefix the workload's user may read and write; nothing else. */
  prefix: string;
}

/** The user the workload runs as when auth is on, and the role that limits it to its prefix. */
export const workloadUser = "workload";
export const workloadRole = "workload";

export const clientTls = (spec: { tls?: TlsLinks | undefined }): boolean => spec.tls === "client" || spec.tls === "both";
export const peerTls = (spec: { tls?: TlsLinks | undefined }): boolean => spec.tls === "peer" || spec.tls === "both";

/** Where a member's etcd finds its certificates and keys, inside its container. */
const secretsInContainer = "/etc/etcd-harness";

/** A file to put into a member's container before its etcd starts. */
export interface ContainerFile {
  content: string;
  target: string;
}

/** The certificates, keys and passwords of one cluster, also written to `dir` (when given) for a person debugging the run. */
export class ClusterSecrets {
  readonly tls: TlsLinks | undefined;
  readonly auth: AuthSpec | undefined;
  readonly #dir: string | undefined;
  readonly #ca: CertificateAuthority | undefined;
  readonly #clientCerts: Map<string, PemPair>;
  readonly #jwt: { privateKey: string; publicKey: string } | undefined;
  readonly #passwords: Map<string, string>;

  private constructor(spec: { tls?: TlsLinks | undefined; auth?: AuthSpec | undefined; dir?: string | undefined }, ca: CertificateAuthority | undefined, clientCerts: Map<string, PemPair>) {
    this.tls = spec.tls;
    this.auth = spec.auth;
    this.#dir = spec.dir;
    this.#ca = ca;
    this.#clientCerts = clientCerts;
    this.#passwords = new Map(spec.auth ? ["root", workloadUser].map((user) => [user, crypto.randomBytes(12).toString("base64url")]) : []);
    if (spec.auth?.token === "jwt") {
      const pair = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
      this.#jwt = { privateKey: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(), publicKey: pair.publicKey.export({ type: "spki", format: "pem" }).toString() };
    }
  }

  static async create(spec: { tls?: TlsLinks | undefined; auth?: AuthSpec | undefined; dir?: string | undefined; clusterId: string }): Promise<ClusterSecrets> {
    const ca = spec.tls ? await createCertificateAuthority(`etcd-harness ${spec.clusterId} CA`) : undefined;
    // Client certificates carry no addresses: etcd checks a client certificate's addresses against the
    // connection's source when it has any, and the harness's connections come through Docker's port mapping.
    const clientCerts = new Map<string, PemPair>();
    if (ca && clientTls(spec)) for (const user of ["root", workloadUser]) clientCerts.set(user, await issueCertificate(ca, { commonName: user, usages: ["client"] }));
    // The link probes' own certificate, for whichever links carry TLS (link-probe.ts).
    if (ca) clientCerts.set("probe", await issueCertificate(ca, { commonName: "etcd-harness-probe", usages: ["client"] }));
    const secrets = new ClusterSecrets(spec, ca, clientCerts);
    secrets.#save("ca.pem", ca?.cert);
    for (const [user, pair] of clientCerts) secrets.#savePair(`client-${user}`, pair);
    secrets.#save("jwt-key.pem", secrets.#jwt?.privateKey);
    secrets.#save("jwt-public.pem", secrets.#jwt?.publicKey);
    if (spec.auth) secrets.#save("passwords.json", JSON.stringify(Object.fromEntries(secrets.#passwords), null, 2));
    return secrets;
  }

  /** The TLS a client needs to reach the members' client ports, as `user` (root for the harness's own calls). */
  clientTlsOf(user: "root" | typeof workloadUser | "probe"): ClientTls | undefined {
    const pair = this.#clientCerts.get(user);
    return pair && this.#ca ? { ca: this.#ca.cert, cert: pair.cert, key: pair.key } : undefined;
  }

  credentialsOf(user: "root" | typeof workloadUser): ClientCredentials | undefined {
    const password = this.#passwords.get(user);
    return password === undefined ? undefined : { username: user, password };
  }

  /**
   * The files member `name` at `podIp` needs, its certificates freshly issued: a server certificate for
   * its client port (the harness reaches it at 127.0.0.1 through Docker's port mapping), a peer
   * certificate that serves and dials (peers dial peer-<k>; etcd checks a dialing peer's addresses
   * against the connection's source, its pod's address), and the JWT keys.
   */
  async memberFiles(name: string, podIp: string): Promise<ContainerFile[]> {
    const files: ContainerFile[] = [];
    const ca = this.#ca;
    if (ca) {
      files.push({ content: ca.cert, target: `${secretsInContainer}/ca.pem` });
      if (clientTls(this)) {
        const server = await issueCertificate(ca, { commonName: name, dnsNames: ["localhost"], ips: ["127.0.0.1", podIp], usages: ["server", "client"] });
        this.#savePair(`${name}-server`, server);
        files.push({ content: server.cert, target: `${secretsInContainer}/server.pem` }, { content: server.key, target: `${secretsInContainer}/server-key.pem` });
      }
      if (peerTls(this)) {
        const peer = await issueCertificate(ca, { commonName: name, dnsNames: [peerHost(ordinalOf(name))], ips: [podIp], usages: ["server", "client"] });
        this.#savePair(`${name}-peer`, peer);
        files.push({ content: peer.cert, target: `${secretsInContainer}/peer.pem` }, { content: peer.key, target: `${secretsInContainer}/peer-key.pem` });
      }
    }
    if (this.#jwt) files.push({ content: this.#jwt.privateKey, target: `${secretsInContainer}/jwt-key.pem` }, { content: this.#jwt.publicKey, target: `${secretsInContainer}/jwt-public.pem` });
    return files;
  }

  /** The flags that make a member use the files of memberFiles. */
  memberFlags(): string[] {
    const flags: string[] = [];
    if (clientTls(this)) {
      flags.push(`--cert-file=${secretsInContainer}/server.pem`, `--key-file=${secretsInContainer}/server-key.pem`, `--trusted-ca-file=${secretsInContainer}/ca.pem`, "--client-cert-auth=true");
    }
    if (peerTls(this)) {
      flags.push(`--peer-cert-file=${secretsInContainer}/peer.pem`, `--peer-key-file=${secretsInContainer}/peer-key.pem`, `--peer-trusted-ca-file=${secretsInContainer}/ca.pem`, "--peer-client-cert-auth=true");
    }
    if (this.#jwt) flags.push(`--auth-token=jwt,pub-key=${secretsInContainer}/jwt-public.pem,priv-key=${secretsInContainer}/jwt-key.pem,sign-method=ES256,ttl=10m`);
    return flags;
  }

  /** Removes every file written for the cluster. */
  remove(): void {
    if (this.#dir) fs.rmSync(this.#dir, { recursive: true, force: true });
  }

  #savePair(name: string, pair: PemPair): void {
    this.#save(`${name}.pem`, pair.cert);
    this.#save(`${name}-key.pem`, pair.key);
  }

  #save(file: string, content: string | undefined): void {
    if (!this.#dir || content === undefined) return;
    fs.mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(this.#dir, file), content, { mode: 0o600 });
  }
}

/**
 * Turns authentication on through `client` (no credentials; auth is still off): root with the root role,
 * the workload's user with a role that may read and write `prefix` and nothing else, then auth enable.
 */
export async function enableAuth(client: Etcd3, secrets: ClusterSecrets, prefix: string): Promise<void> {
  const root = secrets.credentialsOf("root")!;
  const workload = secrets.credentialsOf(workloadUser)!;
  await client.role("root").create();
  await client.user(root.username).create(root.password);
  await client.user(root.username).addRole("root");
  const role = await client.role(workloadRole).create();
  await role.grant({ permission: "Readwrite", range: client.range({ prefix }) });
  await client.user(workload.username).create(workload.password);
  await client.user(workload.username).addRole(workloadRole);
  await client.auth.authEnable();
}
