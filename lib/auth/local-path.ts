/**
 * Where to go after signing in: `next` when it is a path on this site, else
 * "/". A crafted `?next=` must not send a fresh session elsewhere; parsing it
 * as a URL (rather than checking its first characters) also catches the forms
 * browsers read as another host, such as `//evil` and `/\evil`.
 */
export function localPath(next: string | undefined): string {
  if (!next) return "/";
  const base = "http://kbuild.invalid";
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return "/";
  }
  return url.origin === base && next.startsWith("/") ? url.pathname + url.search + url.hash : "/";
}
