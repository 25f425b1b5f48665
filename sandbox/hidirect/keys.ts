/**
 * The simulator's own keys, made once per process: an RSA pair that signs webhooks (its public half is published
 * like hi.health publishes its certificate) and a P-521 pair that signs checkout tokens (ES512, as hi.health's are).
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { CompactSign, compactVerify } from 'jose';
import {
  HASH_ALGORITHM_HEADER,
  SIGNATURE_FORMAT_HEADER,
  SIGNATURE_HEADER,
  TOKEN_ALGORITHM,
  WEBHOOK_KEY_BITS,
  type HashAlgorithm,
  type SignatureFormat,
} from './config.ts';

/** How a webhook is signed: the hash and the encoding its two headers name. */
export interface SignatureScheme {
  format: SignatureFormat;
  hashAlgorithm: HashAlgorithm;
}

export interface Keys {
  /** The webhook key's public half, PEM (SPKI), served at `/hidirect/public-key.pem`. */
  webhookPublicKeyPem: string;
  /** The three signature headers for one exact webhook body, signed and encoded as `scheme` says. */
  webhookHeaders(body: string, scheme: SignatureScheme): Record<string, string>;
  signToken(claims: Record<string, unknown>): Promise<string>;
  /** The token's payload when it carries the simulator's own valid signature; undefined otherwise. */
  readToken(token: string): Promise<Record<string, unknown> | undefined>;
}

export function createKeys(): Keys {
  const webhook = generateKeyPairSync('rsa', { modulusLength: WEBHOOK_KEY_BITS });
  const token = generateKeyPairSync('ec', { namedCurve: 'P-521' });
  return {
    webhookPublicKeyPem: webhook.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    webhookHeaders: (body, scheme) => signatureHeaders(body, scheme, webhook.privateKey),
    signToken: (claims) =>
      new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
        .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: 'JWT' })
        .sign(token.privateKey),
    readToken: async (value) => {
      try {
        const { payload } = await compactVerify(value, token.publicKey, { algorithms: [TOKEN_ALGORITHM] });
        const claims: unknown = JSON.parse(new TextDecoder().decode(payload));
        return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** RSA PKCS#1 v1.5 over the exact body, as node:crypto signs with the header values given as they are. */
function signatureHeaders(body: string, scheme: SignatureScheme, privateKey: KeyObject): Record<string, string> {
  const signature = sign(scheme.hashAlgorithm, Buffer.from(body, 'utf8'), privateKey).toString(scheme.format);
  return {
    'content-type': 'application/json',
    [SIGNATURE_HEADER]: signature,
    [SIGNATURE_FORMAT_HEADER]: scheme.format,
    [HASH_ALGORITHM_HEADER]: scheme.hashAlgorithm,
  };
}
