// The pod topology: proxies per directed link, peer names, etcd flags, crossing links of a partition.
import { describe, expect, it } from "vitest";
import { crossingLinks } from "../../../harness/cluster/links.ts";
import { etcdFlags, peerHostEntries, peerProxies } from "../../../harness/cluster/topology.ts";

describe("pod topology", () => {
  it("gives pod i one proxy per other member, listening where peer-j resolves and forwarding to j's pod", () => {
    const ips = new Map([["n1", "10.0.0.2"], ["n2", "10.0.0.3"], ["n3", "10.0.0.4"]]);
    expect(peerProxies("n2", ips)).toEqual([
      { name: "n2->n1", listen: "127.0.1.1:2380", upstream: "10.0.0.2:2380" },
      { name: "n2->n3", listen: "127.0.1.3:2380", upstream: "10.0.0.4:2380" },
    ]);
    expect(peerHostEntries().slice(0, 3)).toEqual([
      { host: "peer-1", ipAddress: "127.0.1.1" },
      { host: "peer-2", ipAddress: "127.0.1.2" },
      { host: "peer-3", ipAddress: "127.0.1.3" },
    ]);
  });

  it("makes every member advertise its peer name, never an address that bypasses the proxies", () => {
    const flags = etcdFlags({ name: "n2", podIp: "10.0.0.3", members: ["n1", "n2", "n3"], clusterState: "new", clusterToken: "t", extraFlags: ["--x=1"] });
    expect(flags).toContain("--initial-advertise-peer-urls=http://peer-2:2380");
    expect(flags).toContain("--initial-cluster=n1=http://peer-1:2380,n2=http://peer-2:2380,n3=http://peer-3:2380");
    expect(flags).toContain("--listen-peer-urls=http://10.0.0.3:2380");
    expect(flags.at(-1)).toBe("--x=1");
  });

  it("speaks https on the links that carry TLS, and only on those", () => {
    const input = { name: "n2", podIp: "10.0.0.3", members: ["n1", "n2"], clusterState: "new" as const, clusterToken: "t", extraFlags: [] };
    const peerOnly = etcdFlags({ ...input, tls: { client: false, peer: true } });
    expect(peerOnly).toEqual(expect.arrayContaining(["--listen-peer-urls=https://10.0.0.3:2380", "--initial-advertise-peer-urls=https://peer-2:2380", "--initial-cluster=n1=https://peer-1:2380,n2=https://peer-2:2380", "--listen-client-urls=http://0.0.0.0:2379"]));
    const clientOnly = etcdFlags({ ...input, tls: { client: true, peer: false } });
    expect(clientOnly).toEqual(expect.arrayContaining(["--listen-client-urls=https://0.0.0.0:2379", "--advertise-client-urls=https://10.0.0.3:2379", "--listen-peer-urls=http://10.0.0.3:2380"]));
  });
});

describe("crossingLinks", () => {
  it("lists every directed link between different groups and none inside a group", () => {
    const links = crossingLinks([["n1"], ["n2", "n3"]]).map((link) => `${link.from}->${link.to}`);
    expect(links.sort()).toEqual(["n1->n2", "n1->n3", "n2->n1", "n3->n1"]);
  });

  it("handles three groups", () => {
    expect(crossingLinks([["n1"], ["n2"], ["n3", "n4", "n5"]])).toHaveLength(2 * (1 * 1 + 1 * 3 + 1 * 3));
  });
});
