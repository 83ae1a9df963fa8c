// Every fault family a schedule can name.
import type { Nemesis } from "./nemesis.ts";
import { isolateNemesis } from "./partition.ts";

export const nemeses: Record<string, Nemesis> = {
  [isolateNemesis.name]: isolateNemesis,
};

export function nemesisNamed(name: string): Nemesis {
  const nemesis = nemeses[name];
  if (!nemesis) throw new Error(`no fault named ${name}; known: ${Object.keys(nemeses).join(", ")}`);
  return nemesis;
}
