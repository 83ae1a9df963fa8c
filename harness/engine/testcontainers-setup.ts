// Points testcontainers at our locally built reaper, since no registry can be reached to pull Ryuk.
import { reaperImage } from "../images/catalog.ts";

/** Seconds the reaper waits for the harness to reconnect before removing a dead run's resources. */
const reconnectionTimeout = "3s";

export function configureTestcontainers(): void {
  process.env["RYUK_CONTAINER_IMAGE"] ??= reaperImage;
  process.env["TESTCONTAINERS_RYUK_RECONNECTION_TIMEOUT"] ??= reconnectionTimeout;
}
