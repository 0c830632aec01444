/** The shop's one relay (Next.js keeps modules alive between requests): created from the environment. */
import { createRelay, relayOptionsFromEnv } from '../../../src/relay/index.js';

export const relay = createRelay(relayOptionsFromEnv());
