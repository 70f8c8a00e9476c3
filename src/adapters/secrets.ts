/** A secret fetched once per container (Redis AUTH token) and cached; a failure is not cached. */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export function cachedSecret(client: SecretsManagerClient, secretId: string): () => Promise<string> {
  let value: Promise<string> | undefined;
  return () => {
    value ??= client
      .send(new GetSecretValueCommand({ SecretId: secretId }))
      .then((out) => {
        const raw = out.SecretString;
        if (!raw) throw new Error('secret has no string value');
        // Generated secrets may be JSON ({"authToken": "..."} / {"password": "..."}) or plain.
        if (raw.trim().startsWith('{')) {
          const parsed = JSON.parse(raw) as Record<string, unknown>;
          const token = parsed.authToken ?? parsed.password ?? parsed.token;
          if (typeof token !== 'string' || !token)
            throw new Error('secret JSON has no authToken/password/token');
          return token;
        }
        return raw;
      })
      .catch((err: unknown) => {
        value = undefined;
        throw err;
      });
    return value;
  };
}
