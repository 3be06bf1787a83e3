// Every workflow the worker registers; this file is the root of the workflow bundle.
export { pingWorkflow } from './ping.workflow';
export { managedUpdateWorkflow } from './update-request.workflow';
export { hostUpdateWorkflow } from './host-update.workflow';
export { maintenancePlanWorkflow } from './maintenance-plan.workflow';
export { supportWarningsWorkflow } from './support-warnings.workflow';
export { securityAdvisoryWorkflow } from './security-advisory.workflow';
