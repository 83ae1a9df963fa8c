// A small EDN reader for Jepsen histories: maps, vectors, lists, sets, strings, numbers, keywords, nil, booleans.

/** A keyword (`:ok`) read from EDN; `name` has no colon. */
export class Keyword {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
}

/** EDN text that is not well formed; `offset` is where reading stopped. */
export class EdnSyntaxError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = "EdnSyntaxError";
    this.offset = offset;
  }
}

/**
 * Reads one EDN value that fills `text` (surrounding whitespace and commas allowed). Maps become Maps (keys
 * may be keywords or any value), vectors and lists arrays, sets Sets, keywords Keyword, symbols strings.
 */
export function readEdn(text: string): unknown {
  const reader = new Reader(text);
  const value = reader.value();
  reader.skipSpace();
  if (reader.at < text.length) throw new EdnSyntaxError(`unexpected ${JSON.stringify(text[reader.at])} after the value`, reader.at);
  return value;
}

const delimiters = new Set([..." \t\r\n,()[]{}\""]);

class Reader {
  readonly text: string;
  at = 0;

  constructor(text: string) {
    this.text = text;
  }

  skipSpace(): void {
    const t = this.text;
    while (this.at < t.length) {
      const c = t[this.at]!;
      if (c === " " || c === "," || c === "\t" || c === "\n" || c === "\r") this.at++;
      else if (c === ";") while (this.at < t.length && t[this.at] !== "\n") this.at++;
      else break;
    }
  }

  value(): unknown {
    this.skipSpace();
    const t = this.text;
    const c = t[this.at];
    if (c === undefined) throw new EdnSyntaxError("unexpected end of text", this.at);
    if (c === "{") return this.map();
    if (c === "[") return this.sequence("]");
    if (c === "(") return this.sequence(")");
    if (c === "#" && t[this.at + 1] === "{") {
      this.at++;
      return new Set(this.sequence("}"));
    }
    if (c === '"') return this.string();
    const start = this.at;
    while (this.at < t.length && !delimiters.has(t[this.at]!)) this.at++;
    const token = t.slice(start, this.at);
    if (token === "") throw new EdnSyntaxError(`unexpected ${JSON.stringify(c)}`, start);
    if (token === "nil") return null;
    if (token === "true") return true;
    if (token === "false") return false;
    if (token[0] === ":") return new Keyword(token.slice(1));
    if (/^[+-]?\d+N?$/.test(token)) return Number(token.replace(/N$/, ""));
    if (/^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?M?$/.test(token)) return Number(token.replace(/M$/, ""));
    return token;
  }

  map(): Map<unknown, unknown> {
    this.at++;
    const map = new Map<unknown, unknown>();
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] === "}") {
        this.at++;
        return map;
      }
      const key = this.value();
      this.skipSpace();
      if (this.text[this.at] === "}") throw new EdnSyntaxError("map has a key without a value", this.at);
      map.set(key instanceof Keyword ? `:${key.name}` : key, this.value());
    }
  }

  sequence(close: string): unknown[] {
    this.at++;
    const items: unknown[] = [];
    for (;;) {
      this.skipSpace();
      if (this.at >= this.text.length) throw new EdnSyntaxError(`missing ${close}`, this.at);
      if (this.text[this.at] === close) {
        this.at++;
        return items;
      }
      items.push(this.value());
    }
  }

  string(): string {
    const t = this.text;
    let out = "";
    this.at++;
    for (;;) {
      const c = t[this.at++];
      if (c === undefined) throw new EdnSyntaxError("unterminated string", this.at);
      if (c === '"') return out;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = t[this.at++];
      if (e === "n") out += "\n";
      else if (e === "t") out += "\t";
      else if (e === "r") out += "\r";
      else if (e === "u") {
        out += String.fromCharCode(parseInt(t.slice(this.at, this.at + 4), 16));
        this.at += 4;
      } else out += e ?? "";
    }
  }
}

/** Plain JSON-like data from EDN: keywords become their names, maps objects, sets arrays. */
export function ednToPlain(value: unknown): unknown {
  if (value instanceof Keyword) return value.name;
  if (Array.isArray(value)) return value.map(ednToPlain);
  if (value instanceof Set) return [...value].map(ednToPlain);
  if (value instanceof Map) {
    const object: Record<string, unknown> = {};
    for (const [k, v] of value) object[typeof k === "string" && k.startsWith(":") ? k.slice(1) : String(ednToPlain(k))] = ednToPlain(v);
    return object;
  }
  return value;
}
