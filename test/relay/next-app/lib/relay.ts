/** The shop's one relay (Next.js keeps modules alive between requests): created from the environment. */
import { createRelay, relayOptionsFromEnv } from 'k360-verify/relay';

export const relay = createRelay(relayOptionsFromEnv());
