/**
 * POSIX single-quoting for one word of a command line someone will paste into a shell. Words made
 * only of safe characters stay as they are (so `ssh -p 22 root@1.2.3.4` reads normally).
 * Hand-written rather than the shell-quote package: it is this one rule, and quoting is a second
 * line of defence here (hosts are already checked by isSafeHost).
 */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9@%+=:,./_-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
