// Timed HTTP exchanges over one TCP connection, to measure what a toxic does to traffic that crosses it
// (cluster.links.probe gives the endpoint whose traffic crosses a given link's stream).
import net from "node:net";
import { Duplex } from "node:stream";
import tls from "node:tls";
import type { ClientTls } from "../clients/etcd-client.ts";

export interface ExchangeRequest {
  path: string;
  /** Bytes of padding sent in one request header, to measure how fast requests cross. */
  paddingBytes?: number;
  /** HTTP/1.0 with "Connection: close": the server closes after answering, to time how the close crosses. */
  close?: boolean;
  /** Keep the connection open this long after the response, to see whether something resets it. */
  holdMs?: number;
  timeoutMs: number;
}

export interface ExchangeResult {
  /** Milliseconds from connected to the first response byte, to the last, and to the end of the connection. */
  firstByteMs?: number;
  lastByteMs?: number;
  endMs: number;
  /** Separate reads the response arrived in, and its size. */
  chunks: number;
  bytes: number;
  /** HTTP status of the response, when one arrived. */
  status?: number;
  /**
   * How the exchange ended: answered in full (and closed by us), closed or reset by the far side,
   * still open after holding it, or out of time.
   */
  ended: "answered" | "closed" | "reset" | "held" | "timeout";
  error?: string;
}

/**
 * One HTTP exchange over a fresh TCP connection to `endpoint` (host:port), inside TLS when `secure` is
 * given. Timing, pieces, bytes and the far side's close are read on the TCP connection itself (so over
 * TLS they count what crossed the wire, records and all) from the moment the request can be sent (after
 * the handshake). Never throws.
 */
export function exchange(endpoint: string, request: ExchangeRequest, secure?: ClientTls): Promise<ExchangeResult> {
  const [host, port] = splitEndpoint(endpoint);
  return new Promise((resolve) => {
    const wire = net.connect({ host, port, noDelay: true });
    let connected = false;
    let connectedAt = performance.now();
    let firstByte: number | undefined;
    let lastByte: number | undefined;
    let chunks = 0;
    let bytes = 0;
    let textBytes = 0;
    let head = "";
    let tail = "";
    let holdTimer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (ended: ExchangeResult["ended"], error?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(holdTimer);
      speaker.destroy();
      wire.destroy();
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
      resolve({
        ...(firstByte !== undefined ? { firstByteMs: firstByte - connectedAt } : {}),
        ...(lastByte !== undefined ? { lastByteMs: lastByte - connectedAt } : {}),
        endMs: performance.now() - connectedAt,
        chunks,
        bytes,
        ...(status ? { status: Number(status) } : {}),
        ended,
        ...(error ? { error } : {}),
      });
    };
    const deadline = setTimeout(() => finish("timeout"), request.timeoutMs);
    // Counted before TLS reads the piece: the one that completes the handshake is not the answer's.
    wire.on("data", (data: Buffer) => {
      if (!connected) return;
      const now = performance.now();
      firstByte ??= now;
      lastByte = now;
      chunks++;
      bytes += data.length;
    });
    const speaker = secure ? overTls(wire, secure) : wire;
    speaker.on(secure ? "secureConnect" : "connect", () => {
      connected = true;
      connectedAt = performance.now();
      speaker.write(requestText(request));
    });
    speaker.on("data", (data: Buffer) => {
      textBytes += data.length;
      if (head.length < 4096) head += data.toString("latin1", 0, Math.min(data.length, 4096));
      tail = (tail + data.toString("latin1", Math.max(0, data.length - 16))).slice(-16);
      // With "Connection: close" the far side ends the exchange; otherwise a complete response does.
      if (request.close || !complete(head, textBytes, tail)) return;
      if (request.holdMs === undefined) finish("answered");
      else holdTimer ??= setTimeout(() => finish("held"), request.holdMs);
    });
    wire.on("end", () => finish("closed"));
    wire.on("close", () => finish("closed"));
    wire.on("error", (error: NodeJS.ErrnoException) => finish(error.code === "ECONNRESET" || error.code === "EPIPE" ? "reset" : "closed", error.message));
    if (secure) speaker.on("error", (error: Error) => finish("closed", error.message));
  });
}

/**
 * TLS spoken through a stream the probe feeds from `wire`, so the TCP connection's own pieces and close
 * stay visible (a TLS socket on the connection itself would report the far side's close_notify as the
 * end, before a held-back TCP close). TLS 1.2, so no session ticket arrives after the handshake to pass
 * for the answer's first byte. The far end's certificate names its member, not the probe's address: the
 * run's CA is trusted, not the name.
 */
function overTls(wire: net.Socket, secure: ClientTls): tls.TLSSocket {
  const feed = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, done) {
      wire.write(chunk, (error) => done(error ?? null));
    },
    final(done) {
      wire.end();
      done();
    },
  });
  wire.on("data", (data: Buffer) => feed.push(data));
  wire.on("end", () => feed.push(null));
  wire.on("error", () => feed.destroy());
  return tls.connect({ socket: feed, ca: secure.ca, cert: secure.cert, key: secure.key, maxVersion: "TLSv1.2", checkServerIdentity: () => undefined });
}

function requestText(request: ExchangeRequest): string {
  const lines = [
    `GET ${request.path} HTTP/${request.close ? "1.0" : "1.1"}`,
    "Host: probe",
    `Connection: ${request.close ? "close" : "keep-alive"}`,
  ];
  if (request.paddingBytes) lines.push(`X-Padding: ${"p".repeat(request.paddingBytes)}`);
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/** Whether the whole response is in: its Content-Length reached, or the last chunk of a chunked body seen. */
function complete(head: string, bytes: number, tail: string): boolean {
  const end = head.indexOf("\r\n\r\n");
  if (end === -1) return false;
  const headers = head.slice(0, end);
  const length = /\r\ncontent-length: *(\d+)/i.exec(headers)?.[1];
  if (length !== undefined) return bytes >= end + 4 + Number(length);
  return /\r\ntransfer-encoding: *chunked/i.test(headers) && tail.endsWith("\r\n0\r\n\r\n");
}

function splitEndpoint(endpoint: string): [string, number] {
  const colon = endpoint.lastIndexOf(":");
  return [endpoint.slice(0, colon), Number(endpoint.slice(colon + 1))];
}

/** A path the far end of the placement serves with a small response: etcd's /version on either port. */
export const smallPath = "/version";
/** A path with a large response (about 150 KB): etcd's /metrics, served on the client port only. */
export const largePath = "/metrics";
