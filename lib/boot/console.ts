/**
 * A serial console line as kbuild keeps it: terminal control sequences (the
 * firmware's and the kernel's) and other control characters removed, so that
 * the page, the artifact and the verdict see the same text.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][A-Za-z0-9]|\x1b[=>c78]|[\x00-\x08\x0b-\x1f\x7f]/g;

export function cleanConsoleLine(text: string): string {
  return text.replace(CONTROL, "");
}
