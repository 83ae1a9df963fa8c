// The Node.js the harness needs at run time (testcontainers 12 needs 22.22); npm's own engine check is left out so npx stays quiet.

export const leastNode = [22, 22] as const;

/** Why this Node is too old to run the harness, with how to get one that is not; undefined when it will do. */
export function nodeTooOld(version: string): string | undefined {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (major > leastNode[0] || (major === leastNode[0] && minor >= leastNode[1])) return undefined;
  return (
    `needs Node.js >= ${leastNode.join(".")}, this is ${version}; run it as \`npx harness\` or \`npm run harness --\` ` +
    "after `npm ci`, which put Node 24 in node_modules/.bin (the `node` package)"
  );
}
