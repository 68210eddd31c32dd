/**
 * Copies a value the page shows once (a secret, a new key) and says so in the
 * status line; where the browser refuses, the person is told to copy by hand.
 */
export async function copyToClipboard(
  text: string,
  what: string,
  notify: (message: string) => void,
): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    notify(`${what} copied to the clipboard`);
  } catch {
    notify(`Copying is not allowed here: select the ${what.toLowerCase()} and copy it`);
  }
}
