/**
 * Two web-platform APIs that Node (18+) and every browser provide. shared/ is compiled with
 * neither DOM nor Node types, so they are reached through globalThis with just the shape we use.
 */
interface WebPlatform {
  TextEncoder: new () => { encode(input: string): Uint8Array };
  crypto: { subtle: { digest(algorithm: 'SHA-256', data: ArrayBuffer): Promise<ArrayBuffer> } };
}

const platform = globalThis as unknown as WebPlatform;

export const utf8 = (text: string): Uint8Array => new platform.TextEncoder().encode(text);

export const sha256 = (data: ArrayBuffer): Promise<ArrayBuffer> => platform.crypto.subtle.digest('SHA-256', data);
