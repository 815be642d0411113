/** What every upload and download on the phone shares: the server's per-file limit (checked here
 * too, so a poor connection does not carry a file the server will refuse) and sizes in words. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export function sizeText(bytes: number): string {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
