// Which member a client process is bound to while membership changes: its home while that is a member,
// else the member it is on while that is one, else what the caller picks among the members left.
export function memberToBind(members: string[], home: string, current: string, elsewhere: (members: string[]) => string): string {
  if (members.includes(home)) return home;
  if (members.includes(current)) return current;
  return elsewhere(members);
}
