/** Proof Key for Code Exchange (RFC 7636): a random verifier and its S256 challenge. */

function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A random URL-safe string of `size` bytes of entropy (verifier, state). */
export function randomString(size = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(size)));
}

export async function challengeFor(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}
