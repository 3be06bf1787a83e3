import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Moves every failure's message and stack trace into a payload, which the payload codec then
 * encrypts: an error text (a rejected mail recipient, say) could otherwise carry contact details
 * into the history in clear. The workflow bundle loads this module too (scripts/bundle-workflows.ts),
 * so it imports nothing but @temporalio/common.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
