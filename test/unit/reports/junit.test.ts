// junit.xml from a run's results: one testcase per checker, failures and errors where CI expects them, well-formed XML.
import { describe, expect, it } from "vitest";
import { junitXml, xmlAttr, xmlText } from "../../../reports/junit.ts";
import { operationsByInvoke } from "../../../reports/operations.ts";
import { syntheticRun } from "../../support/synthetic-run.ts";

/** Every tag closed in order: enough to catch a broken template or an unescaped "<". */
function expectWellFormed(xml: string): void {
  const open: string[] = [];
  for (const [, closing, name, selfClosing] of xml.replace(/<\?xml[^>]*\?>/, "").matchAll(/<(\/?)([\w-]+)[^>]*?(\/?)>/g)) {
    if (selfClosing) continue;
    if (closing) expect(open.pop(), `</${name}>`).toBe(name);
    else open.push(name!);
  }
  expect(open).toEqual([]);
}

describe("junitXml", () => {
  const { results, history } = syntheticRun(300);

  it("has one testcase per checker, counted in the suite's attributes", () => {
    const xml = junitXml(results);
    expectWellFormed(xml);
    expect([...xml.matchAll(/<testcase /g)]).toHaveLength(4);
    expect(xml).toMatch(/<testsuite name="partition-minority \(etcd 3\.7\.3, seed 7\)" tests="4" failures="1" errors="1" skipped="0"/);
    expect(xml).toContain('<property name="replay" value="harness replay runs/synthetic"/>');
  });

  it("reports invalid as a failure with the summary and each anomaly's operations spelled out from the history", () => {
    const xml = junitXml(results, operationsByInvoke(history));
    const failure = /<testcase [^>]*name="linearizability"[^>]*>\s*<failure message="([^"]*)" type="invalid">([\s\S]*?)<\/failure>/.exec(xml);
    expect(failure).not.toBeNull();
    expect(failure![1]).toContain("cannot be placed");
    expect(failure![2]).toMatch(/not-linearizable \([\d.]+s\): key r\d: read\(\) -&gt; \d+ by process \d+ on n3 cannot be placed/);
    expect(failure![2]).toMatch(/operation: read r\d -&gt; ok \d+ by process \d+ on n3, [\d.]+-[\d.]+s, history line \d+/);
    expect(failure![2]).toMatch(/concurrent operations \(3\):\n {4}\w+ r\d/);
    expect(failure![2]).toContain("state before:");
  });

  it("reports unknown as an error, not as skipped", () => {
    const xml = junitXml(results);
    expect(xml).toMatch(/name="faults-took-effect"[^>]*>\s*<error message="partition of n1 did not take effect \(synthetic\)" type="unknown">/);
    expect(xml).not.toContain("<skipped");
  });

  it("adds a testcase with an error when the run did not finish", () => {
    const xml = junitXml({ ...results, checkers: {}, verdict: "unknown", error: 'cluster start failed: <no "leader">' });
    expectWellFormed(xml);
    expect(xml).toContain('<testcase classname="partition-minority.etcd-3.7.3" name="run"');
    expect(xml).toContain('<error message="cluster start failed: &lt;no &quot;leader&quot;&gt;" type="unknown"/>');
    expect(xml).toMatch(/tests="1" failures="0" errors="1"/);
  });

  it("escapes markup and drops characters XML cannot carry", () => {
    expect(xmlText("a < b && c > d\u0001")).toBe("a &lt; b &amp;&amp; c &gt; d");
    expect(xmlAttr('say "hi"\nagain')).toBe("say &quot;hi&quot;&#10;again");
  });
});
