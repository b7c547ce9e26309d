import { createContextKey } from '@connectrpc/connect';
import { SHARED_SANDBOX } from '../../session/session-id.ts';

/** The sandbox of the call, chosen from its metadata exactly as for REST (see sandboxOf). */
export const sandboxKey = createContextKey<string>(SHARED_SANDBOX, { description: 'wirelab sandbox' });

/** "1.1" or "2.0": the HTTP version the call arrived in. */
export const httpVersionKey = createContextKey<string>('', { description: 'HTTP version of the call' });

/** Set for calls that did not arrive as gRPC, gRPC-Web or Connect (REST transcoding: "http-json"). */
export const protocolOverrideKey = createContextKey<string | null>(null, { description: 'protocol of a transcoded call' });

/** The client's network address (its per-address budgets, server/limits/). */
export const clientAddressKey = createContextKey<string | undefined>(undefined, { description: 'client address of the call' });
