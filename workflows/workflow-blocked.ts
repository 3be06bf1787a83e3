import { condition } from '@temporalio/workflow';

/**
 * Resolves the next time the SDK evaluates conditions, which it does only once the workflow's code
 * has run as far as it can in an activation. Code woken together with other coroutines uses it to
 * act after them, on everything they changed, instead of in between. A condition is also checked
 * once when it is made; that first check says no.
 */
export function workflowBlocked(): Promise<void> {
  let checkedWhenMade = false;
  return condition(() => {
    if (checkedWhenMade) return true;
    checkedWhenMade = true;
    return false;
  });
}
