import type { DataSource } from 'typeorm';

export const OS_FAMILIES = ['linux', 'windows'] as const;
/** Which shell the host's commands are written for: a POSIX shell, or PowerShell over SSH. */
export type OsFamily = (typeof OS_FAMILIES)[number];

/** A customer's system and how the worker reaches it; either way of reaching it may be absent. */
export interface InventorySystem {
  customerId: string;
  /** The target name requests use (the VM's host name). */
  name: string;
  /** The libvirt connection (`qemu:///system`, `qemu+ssh://user@kvm-01/system`) and domain of the VM. */
  hypervisor?: { uri: string; domain: string };
  /** Where the host answers SSH, as whom, and in which shell. */
  ssh?: { host: string; port: number; user: string; osFamily: OsFamily };
}

interface SystemRow {
  customer_id: string;
  name: string;
  hypervisor_uri: string | null;
  domain_name: string | null;
  ssh_host: string | null;
  ssh_port: number;
  ssh_user: string | null;
  os_family: OsFamily;
}

const COLUMNS = 'customer_id, name, hypervisor_uri, domain_name, ssh_host, ssh_port, ssh_user, os_family';

/**
 * `inventory_systems`: the systems of each customer. The API refuses requests naming systems it
 * does not list; the snapshot and session providers find a request's target here through the
 * request's customer.
 */
export class InventoryStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Adds the system, or replaces how it is reached when the customer already has it. */
  async put(system: InventorySystem): Promise<InventorySystem> {
    const [row]: SystemRow[] = await this.dataSource.query(
      `INSERT INTO inventory_systems (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (customer_id, name) DO UPDATE SET hypervisor_uri = EXCLUDED.hypervisor_uri, domain_name = EXCLUDED.domain_name,
         ssh_host = EXCLUDED.ssh_host, ssh_port = EXCLUDED.ssh_port, ssh_user = EXCLUDED.ssh_user, os_family = EXCLUDED.os_family,
         updated_at = now()
       RETURNING ${COLUMNS}`,
      [system.customerId, system.name, system.hypervisor?.uri ?? null, system.hypervisor?.domain ?? null,
        system.ssh?.host ?? null, system.ssh?.port ?? 22, system.ssh?.user ?? null, system.ssh?.osFamily ?? 'linux'],
    );
    return toSystem(row);
  }

  /** Removes the system; answers what was removed, undefined when the customer had no such system. */
  async remove(customerId: string, name: string): Promise<InventorySystem | undefined> {
    const [rows]: [SystemRow[], number] = await this.dataSource.query(
      `DELETE FROM inventory_systems WHERE customer_id = $1 AND name = $2 RETURNING ${COLUMNS}`, [customerId, name]);
    return rows[0] ? toSystem(rows[0]) : undefined;
  }

  async list(customerId?: string): Promise<InventorySystem[]> {
    const rows: SystemRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM inventory_systems WHERE $1::text IS NULL OR customer_id = $1 ORDER BY customer_id, name`,
      [customerId ?? null]);
    return rows.map(toSystem);
  }

  /** The names among `names` that the customer's inventory does not list. */
  async unknownTargets(customerId: string, names: string[]): Promise<string[]> {
    const rows: Array<{ name: string }> = await this.dataSource.query(
      `SELECT name FROM inventory_systems WHERE customer_id = $1 AND name = ANY($2::text[])`, [customerId, names]);
    const known = new Set(rows.map((r) => r.name));
    return names.filter((n) => !known.has(n));
  }

  /** The target of a request, found through the request's customer; undefined when not listed. */
  async systemOfRequest(requestId: string, target: string): Promise<InventorySystem | undefined> {
    const [row]: SystemRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS.split(', ').map((c) => `s.${c}`).join(', ')}
         FROM inventory_systems s JOIN update_requests r ON r.customer_id = s.customer_id
        WHERE r.request_id = $1 AND s.name = $2`, [requestId, target]);
    return row ? toSystem(row) : undefined;
  }

  /** The software name a request updates, from the read model; undefined for an unknown request. */
  async softwareOfRequest(requestId: string): Promise<string | undefined> {
    const [row]: Array<{ software_name: string }> = await this.dataSource.query(
      `SELECT software_name FROM update_requests WHERE request_id = $1`, [requestId]);
    return row?.software_name;
  }
}

function toSystem(row: SystemRow): InventorySystem {
  return {
    customerId: row.customer_id,
    name: row.name,
    ...(row.hypervisor_uri && row.domain_name ? { hypervisor: { uri: row.hypervisor_uri, domain: row.domain_name } } : {}),
    ...(row.ssh_host && row.ssh_user ? { ssh: { host: row.ssh_host, port: row.ssh_port, user: row.ssh_user, osFamily: row.os_family } } : {}),
  };
}
