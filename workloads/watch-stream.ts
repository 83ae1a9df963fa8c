// One watch on a gRPC stream of its own, straight on etcd's Watch RPC: each response as etcd sent it, progress requests, and no reconnection behind the caller's back.
//
// etcd3's Watcher reconnects by itself after a disconnect and drops responses it cannot match to a
// watcher (a requested progress notification carries watch id -1 from etcd 3.5 on), so a history made
// through it could not say what one stream delivered. Here a stream carries one watch: the caller
// learns of its creation, of every response after it (events, or a progress notification: a response
// without events), and of its end (an error, etcd's cancellation with its reason and compact revision,
// or the stream closing), once.
import type { Etcd3, IDuplexStream, IWatchRequest, IWatchResponse } from "etcd3";
import { errorMessage } from "../harness/clients/outcome.ts";

export interface WatchStreamRequest {
  key: string;
  /** The end of the range (exclusive), e.g. prefixEnd(key) for a prefix. */
  rangeEnd: string;
  startRevision: number;
}

export interface WatchStreamEnd {
  reason: string;
  /** etcd cancelled the watch (a compacted start revision, or another reason it gave). */
  cancelled: boolean;
  /** The oldest revision etcd still keeps, when it cancelled the watch for a compacted start revision. */
  compactRevision?: number;
}

export interface WatchStream {
  /** Resolves once etcd has created the watch; rejects with the reason when it refuses it or the stream fails first. */
  readonly created: Promise<void>;
  /** Resolves once, when the stream ends for any reason (close included). */
  readonly ended: Promise<WatchStreamEnd>;
  /** Asks etcd for a progress notification: a response with no events whose revision bounds what was sent. */
  requestProgress(): void;
  /** Ends the stream from this side (cancelling the gRPC call); `ended` then resolves with reason "closed". */
  close(): void;
}

/** Opens a stream on the client's connection and asks etcd to watch `request` on it; every later response goes to `onResponse`. */
export async function openWatchStream(client: Etcd3, request: WatchStreamRequest, onResponse: (response: IWatchResponse) => void): Promise<WatchStream> {
  const stream: IDuplexStream<IWatchRequest, IWatchResponse> = await client.watchClient.watch();
  let finish: (end: WatchStreamEnd) => void = () => {};
  let settleCreation: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const created = new Promise<void>((resolve, reject) => (settleCreation = { resolve, reject }));
  const ended = new Promise<WatchStreamEnd>((resolve) => (finish = resolve));
  let done = false;
  const end = (result: WatchStreamEnd): void => {
    if (done) return;
    done = true;
    settleCreation?.reject(new Error(result.reason));
    settleCreation = undefined;
    finish(result);
    // The call may still be open (etcd cancelled the watch, not the stream): close it.
    try {
      stream.cancel();
    } catch {
      // Already closed.
    }
  };
  stream.on("data", (response) => {
    if (done) return;
    if (response.canceled) {
      const compactRevision = Number(response.compact_revision);
      const reason = response.cancel_reason || (compactRevision > 0 ? `required revision ${request.startRevision} has been compacted (compact revision ${compactRevision})` : "cancelled by etcd");
      end({ reason: `Watcher canceled: ${reason}`, cancelled: true, ...(compactRevision > 0 ? { compactRevision } : {}) });
      return;
    }
    if (response.created) {
      settleCreation?.resolve();
      settleCreation = undefined;
      return;
    }
    onResponse(response);
  });
  stream.on("error", (error) => end({ reason: `error: ${errorMessage(error)}`, cancelled: false }));
  stream.on("end", () => end({ reason: "the stream ended", cancelled: false }));
  stream.write({
    // progress_notify: etcd sends a progress notification when the watch has been idle and synced for
    // its notify interval (10 minutes unless --experimental-watch-progress-notify-interval says otherwise).
    create_request: { key: Buffer.from(request.key), range_end: Buffer.from(request.rangeEnd, "latin1"), start_revision: String(request.startRevision), progress_notify: true },
  });
  return {
    created,
    ended,
    requestProgress() {
      if (!done) stream.write({ progress_request: {} });
    },
    close() {
      end({ reason: "closed", cancelled: false });
    },
  };
}
