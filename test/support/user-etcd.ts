// The etcd a user brings, made here for tests: a checkout laid out as etcd's repository from one release's Go module sources, and an image in a layout unlike ours.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import tar from "tar-stream";
import { docker } from "../../harness/engine/docker-engine.ts";
import { buildImage } from "../../harness/images/docker-build.ts";

const run = promisify(execFile);

/** The modules a server build needs, and where etcd's repository keeps each. */
const layout: Array<[module: string, dir: string]> = [
  ["go.etcd.io/etcd/server/v3", "server"],
  ["go.etcd.io/etcd/api/v3", "api"],
  ["go.etcd.io/etcd/client/pkg/v3", "client/pkg"],
  ["go.etcd.io/etcd/client/v3", "client/v3"],
  ["go.etcd.io/etcd/pkg/v3", "pkg"],
];

/**
 * A git checkout of etcd `version` in etcd's repository layout (server/, api/, client/pkg/, client/v3/,
 * pkg/, each with its go.mod and the replace directives between them), from the Go module proxy, committed once.
 */
export async function etcdCheckout(version: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `etcd-checkout-${version}-`));
  for (const [module, place] of layout) {
    const { stdout } = await run("go", ["mod", "download", "-json", `${module}@v${version}`], { cwd: dir, maxBuffer: 16 << 20 });
    const source = (JSON.parse(stdout) as { Dir: string }).Dir;
    fs.cpSync(source, path.join(dir, place), { recursive: true });
  }
  await run("chmod", ["-R", "u+w", dir]);
  const git = (...args: string[]) => run("git", ["-C", dir, "-c", "user.name=test", "-c", "user.email=test@example.invalid", ...args], { maxBuffer: 64 << 20 });
  await git("init", "-q");
  await git("add", "-A");
  await git("commit", "-q", "-m", `etcd ${version} from its Go modules`);
  return dir;
}

/**
 * An image unlike the harness's: etcd at /opt/etcd/bin/etcd (taken from `fromImage`), started by a shell
 * script, with a shell and the C library beside it, and etcd found only through PATH.
 */
export async function oddlyLaidOutImage(fromImage: string, ref: string): Promise<void> {
  const context = fs.mkdtempSync(path.join(os.tmpdir(), "odd-etcd-image-"));
  const rootfs = path.join(context, "rootfs");
  const place = (file: string, to = file) => {
    fs.mkdirSync(path.dirname(path.join(rootfs, to)), { recursive: true });
    fs.copyFileSync(file, path.join(rootfs, to));
  };
  const shell = fs.realpathSync("/bin/sh");
  place(shell, "/bin/sh");
  const { stdout } = await run("ldd", [shell]);
  for (const [, library] of stdout.matchAll(/(\/\S+)\s+\(0x/g)) place(library!);
  fs.mkdirSync(path.join(rootfs, "opt/etcd/bin"), { recursive: true });
  fs.writeFileSync(path.join(rootfs, "opt/etcd/bin/etcd"), await fileFromImage(fromImage, "/usr/local/bin/etcd"), { mode: 0o755 });
  fs.writeFileSync(path.join(rootfs, "docker-entrypoint.sh"), '#!/bin/sh\necho "starting etcd from the entrypoint script"\nexec etcd "$@"\n', { mode: 0o755 });
  fs.writeFileSync(
    path.join(context, "Dockerfile"),
    ["FROM scratch", "COPY rootfs/ /", "ENV PATH=/opt/etcd/bin:/bin", 'ENTRYPOINT ["/docker-entrypoint.sh"]', ""].join("\n"),
  );
  await buildImage(context, ref);
}

async function fileFromImage(image: string, file: string): Promise<Buffer> {
  const container = await docker().createContainer({ Image: image });
  try {
    const archive = await container.getArchive({ path: file });
    const extract = tar.extract();
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      extract.on("entry", (_header, stream, next) => {
        stream.on("data", (chunk: unknown) => chunks.push(chunk as Buffer));
        stream.on("end", next);
        stream.resume();
      });
      extract.on("finish", resolve);
      extract.on("error", reject);
      archive.pipe(extract);
    });
    return Buffer.concat(chunks);
  } finally {
    await container.remove({ force: true });
  }
}
