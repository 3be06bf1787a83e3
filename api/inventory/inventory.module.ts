import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InstalledSoftwareStore } from '../../platform/inventory/installed-software-store';
import { InventoryStore } from '../../platform/inventory/inventory-store';
import { VendorStore } from '../../platform/inventory/vendor-store';
import { InstalledSoftwareController } from './installed-software.controller';
import { VendorsController } from './vendors.controller';
import { InventoryController } from './inventory.controller';

/** The system inventory, what is installed on it and the vendors' version rules: managed by operators, consulted when a request is submitted. */
@Global()
@Module({
  controllers: [InventoryController, InstalledSoftwareController, VendorsController],
  providers: [
    { provide: InventoryStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new InventoryStore(dataSource) },
    { provide: InstalledSoftwareStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new InstalledSoftwareStore(dataSource) },
    { provide: VendorStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new VendorStore(dataSource) },
  ],
  exports: [InventoryStore, InstalledSoftwareStore, VendorStore],
})
export class InventoryModule {}
