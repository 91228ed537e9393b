/**
 * Copies text to the clipboard; false where the browser refuses (plain-HTTP custom domains, no
 * permission, an old WeChat web view), so the page can show the text to copy by hand instead.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
