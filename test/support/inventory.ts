import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { CredentialStore } from '../../api/auth/credential-store';
import { InventoryStore, type InventorySystem } from '../../platform/inventory/inventory-store';

/** A new customer with `systems` in its inventory, as an operator would have listed them. */
export async function seedCustomerWithSystems(dataSource: DataSource, systems: Array<Omit<InventorySystem, 'customerId'>>): Promise<string> {
  const customerId = `c-${randomUUID().slice(0, 8)}`;
  await new CredentialStore(dataSource).createCustomer({ id: customerId, name: `${customerId} AG` });
  const inventory = new InventoryStore(dataSource);
  for (const system of systems) await inventory.put({ ...system, customerId });
  return customerId;
}

/**
 * A customer with `systems` in its inventory and one accepted request of `softwareName` in the
 * read model, which is how the providers find a request's targets.
 */
export async function seedRequestWithSystems(
  dataSource: DataSource, softwareName: string, systems: Array<Omit<InventorySystem, 'customerId'>>,
): Promise<{ requestId: string; customerId: string }> {
  const customerId = await seedCustomerWithSystems(dataSource, systems);
  const requestId = randomUUID();
  await dataSource.query(
    `INSERT INTO update_requests (request_id, workflow_id, customer_id, software_name, target_version, category, status, current_step, submitted_at, updated_at)
     VALUES ($1, $2, $3, $4, '2.0', 'maintenance', 'intake', 'intake', now(), now())`,
    [requestId, `update-request/${requestId}`, customerId, softwareName]);
  return { requestId, customerId };
}
