/**
 * What the program's reads of live resources share (the gateway's access, each account's kind): which
 * failures mean "not there yet". Anything else (no permission, throttling, a network error) is not
 * absence, and the program stops rather than act on a guess.
 */

/** True for the answers that mean the resource or its resource group does not exist. */
export function isNotFound(err: unknown): boolean {
    const text = err instanceof Error ? err.message : String(err);
    return /\b(ResourceNotFound|ResourceGroupNotFound|NotFound)\b|status(?: code)?[ =:]*404\b|\b404 Not Found\b/i.test(text);
}
