/**
 * The mirror workflow's activities, named as the service's, each doing nothing: what is left of a
 * call is Temporal's. The read-model write notes its workflow in `published`, so the bench can tell
 * when every mirror request has reached its first wait.
 */
export function createMirrorActivities(published: Set<string>) {
  return {
    async loadPolicy(): Promise<void> {},
    async syncReadModel(workflowId: string): Promise<void> {
      published.add(workflowId);
    },
    async deliverNotifications(): Promise<void> {},
    async assessSlot(): Promise<void> {},
  };
}

export type MirrorActivities = ReturnType<typeof createMirrorActivities>;
