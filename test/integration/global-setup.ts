// Before any container test: a Docker engine and the images of the default etcd release, built if missing.
import { defaultEtcdVersion, prepareRunEnvironment } from "../../harness/images/run-images.ts";

export default async function setup(): Promise<void> {
  await prepareRunEnvironment([await defaultEtcdVersion()], (line) => console.log(`[setup] ${line}`));
}
