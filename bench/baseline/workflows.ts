/** The bare SDK's workflows for the bench's worker: the minimal floor and the service's mirror. */
export * from './minimal.workflow';
export * from './mirror.workflow';
