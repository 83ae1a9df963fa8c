// A stored run file that is not what the record says it must be: the message names the file and the field.

export class RecordError extends Error {
  readonly file: string;

  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = "RecordError";
    this.file = file;
  }
}

/** The first problem zod found, as `field: message` (the field path dotted, or "the file" at the top). */
export function firstIssue(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): string {
  const issue = error.issues[0];
  if (!issue) return "does not match the expected shape";
  const field = issue.path.map((part) => (typeof part === "number" ? `[${part}]` : String(part))).join(".").replace(/\.\[/g, "[");
  return `${field || "the file"}: ${issue.message}`;
}
