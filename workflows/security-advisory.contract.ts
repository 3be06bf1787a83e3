/**
 * The security advisory's contract: an operator publishes a critical security request as an
 * advisory (the API records who and when), and the workflow announces the fix to every customer
 * who has the software installed. Imports nothing.
 */

/** One advisory per request: the id makes a second start impossible. */
export function securityAdvisoryWorkflowId(requestId: string): string {
  return `security-advisory-${requestId}`;
}

export interface SecurityAdvisoryInput {
  requestId: string;
}

export interface SecurityAdvisoryOutcome {
  /** The customers the advisory was addressed to, by id. */
  customers: string[];
}
