// The floors: imports run only downward (or within a folder). `npm run layers` checks this; `npm test` runs it.
//   floor 0  record/     the run record (schemas, readers of stored runs): imports nothing of ours outside record/
//   floor 1  harness/    engine, images, cluster, clients, history, probes, lifecycle, setup: record/ and itself
//   floor 2  nemesis/, workloads/: harness/ and record/; checkers/: record/ only. None of the three imports another
//   floor 3  scenarios/  floors 0-2
//   floor 4  runner/     floors 0-3
//   floor 5  cli/, testkit/ (the API for other people's tests): floors 0-4 and reports/, not each other; reports/ (browser
//            bundle included): record/ only; index.ts (barrel): anything
//   outside  test/, bench/: may import anything; nothing in the floors imports them, and nothing of ours imports index.ts
// A new top-level folder gets a line above and a rule below before anything imports it; a type shared by two floors
// belongs in the lower one (a shape shared by several, usually in record/). Type-only imports count.
// dependency-cruiser parses with swc: its TypeScript parser needs the JavaScript API of typescript < 7, which 7 lacks.

/** Local files only: npm packages and node: built-ins are not floors. */
const LOCAL = ["local"];
/** Every top-level folder a floor rule may mention, so a rule's `from` never catches test/ or bench/ files. */
const FLOORS = "^(record|harness|nemesis|workloads|checkers|scenarios|runner|cli|testkit|reports)/|^index[.]ts$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "record-imports-only-record",
      severity: "error",
      comment: "record/ is floor 0 and imports nothing of ours above it: move the piece it needs down into record/, or pass it in as data.",
      from: { path: "^record/" },
      to: { dependencyTypes: LOCAL, pathNot: "^record/|^(test|bench)/" },
    },
    {
      name: "harness-imports-only-record",
      severity: "error",
      comment: "harness/ is floor 1 and may import only record/: move the shared piece into harness/ (or record/ if it is part of the run record).",
      from: { path: "^harness/" },
      to: { dependencyTypes: LOCAL, pathNot: "^(harness|record)/|^(test|bench)/" },
    },
    {
      name: "nemesis-imports-only-harness-and-record",
      severity: "error",
      comment: "nemesis/ is floor 2 and may import only harness/ and record/ (workloads/ and checkers/ are its peers): move the shared piece into harness/ or record/.",
      from: { path: "^nemesis/" },
      to: { dependencyTypes: LOCAL, pathNot: "^(nemesis|harness|record)/|^(test|bench)/" },
    },
    {
      name: "workloads-imports-only-harness-and-record",
      severity: "error",
      comment: "workloads/ is floor 2 and may import only harness/ and record/ (nemesis/ and checkers/ are its peers): move the shared piece into harness/ or record/.",
      from: { path: "^workloads/" },
      to: { dependencyTypes: LOCAL, pathNot: "^(workloads|harness|record)/|^(test|bench)/" },
    },
    {
      name: "checkers-import-only-record",
      severity: "error",
      comment: "A checker is a pure function of the record: checkers/ (floor 2) may import only record/, so move the shape it needs into record/.",
      from: { path: "^checkers/" },
      to: { dependencyTypes: LOCAL, pathNot: "^(checkers|record)/|^(test|bench)/" },
    },
    {
      name: "scenarios-import-only-floors-0-2",
      severity: "error",
      comment: "scenarios/ is floor 3 and may import only floors 0-2: move the shared piece down into nemesis/, workloads/, checkers/, harness/ or record/.",
      from: { path: "^scenarios/" },
      to: { dependencyTypes: LOCAL, pathNot: "^(scenarios|nemesis|workloads|checkers|harness|record)/|^(test|bench)/" },
    },
    {
      name: "runner-imports-only-floors-0-3",
      severity: "error",
      comment: "runner/ is floor 4 and may import only floors 0-3 (not cli/, reports/ or index.ts): move the shared piece down (a shape of the run into record/), or let cli/ call reports/ after the run.",
      from: { path: "^runner/" },
      to: { dependencyTypes: LOCAL, pathNot: "^(runner|scenarios|nemesis|workloads|checkers|harness|record)/|^(test|bench)/" },
    },
    {
      name: "reports-read-only-the-record",
      severity: "error",
      comment: "Reports read only the record: reports/ (floor 5, browser bundle included) may import only record/, so move the shape it needs into record/.",
      from: { path: "^reports/" },
      to: { dependencyTypes: LOCAL, pathNot: "^(reports|record)/|^(test|bench)/" },
    },
    {
      name: "cli-imports-only-lower-floors-and-reports",
      severity: "error",
      comment: "cli/ (floor 5) may import floors 0-4 and reports/, not index.ts (the library barrel) or an unplaced folder: import the module itself, or give the folder a floor here first.",
      from: { path: "^cli/" },
      to: { dependencyTypes: LOCAL, pathNot: "^(cli|reports|runner|scenarios|nemesis|workloads|checkers|harness|record)/|^(test|bench)/" },
    },
    {
      name: "testkit-imports-only-lower-floors-and-reports",
      severity: "error",
      comment: "testkit/ (floor 5, beside cli/) may import floors 0-4 and reports/, not cli/ or index.ts: import the module itself, or move the shared piece down.",
      from: { path: "^testkit/" },
      to: { dependencyTypes: LOCAL, pathNot: "^(testkit|reports|runner|scenarios|nemesis|workloads|checkers|harness|record)/|^(test|bench)/" },
    },
    {
      name: "floors-do-not-import-test-or-bench",
      severity: "error",
      comment: "test/ and bench/ sit outside the floors and ship nothing: move the helper the code needs into the lowest floor that uses it.",
      from: { path: FLOORS },
      to: { dependencyTypes: LOCAL, path: "^(test|bench)/" },
    },
    {
      name: "clusters-only-through-the-backend-interface",
      severity: "error",
      comment:
        "Faults, workloads, probes and commands use a cluster through harness/cluster/backend.ts, so another backend can run them: only the runner (which picks the Docker backend by default), the engine's cleanup, the library entry and startEtcdCluster name harness/cluster/docker/.",
      from: { path: FLOORS, pathNot: "^harness/cluster/docker/|^harness/engine/orphans[.]ts$|^runner/run-scenario[.]ts$|^testkit/start-etcd-cluster[.]ts$|^index[.]ts$" },
      to: { dependencyTypes: LOCAL, path: "^harness/cluster/docker/" },
    },
    {
      name: "no-cycle-across-folders",
      severity: "error",
      comment: "This import crosses into another top-level folder and leads back (the cycle is listed): remove the cycle's upward import by moving what it needs down a floor.",
      from: { path: "^(record|harness|nemesis|workloads|checkers|scenarios|runner|cli|testkit|reports|index[.]ts)(/|$)" },
      to: { circular: true, pathNot: "^$1(/|$)" },
    },
    {
      name: "imports-resolve",
      severity: "error",
      comment: "dependency-cruiser could not resolve this import, so the floors cannot be checked for it: fix the path (imports name the .ts file), or add the missing package.",
      from: { path: FLOORS },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // typescript 7 has no JavaScript API that dependency-cruiser can use; swc parses .ts and keeps type-only imports.
    parser: "swc",
    // Read for its `paths` by the resolver (tsconfig-paths-webpack-plugin); imports name their .ts files, so they
    // resolve as written.
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "(^|/)node_modules/" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "node", "default"],
    },
  },
};
