import * as z from 'zod/mini';

/** Form body of the OAuth2 client-credentials request (sent as application/x-www-form-urlencoded). */
export const TokenRequest = z.object({
  grant_type: z.literal('client_credentials'),
  scope: z.literal('k1_integration_api'),
});
export type TokenRequest = z.infer<typeof TokenRequest>;

export const TokenResponse = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.optional(z.string()),
  expires_in: z.number().check(z.positive()),
  scope: z.optional(z.string()),
});
export type TokenResponse = z.infer<typeof TokenResponse>;
