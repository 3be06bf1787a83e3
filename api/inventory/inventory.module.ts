import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InventoryStore } from '../../platform/inventory/inventory-store';
import { InventoryController } from './inventory.controller';

/** The system inventory: managed by operators, consulted when a request is submitted. */
@Global()
@Module({
  controllers: [InventoryController],
  providers: [{ provide: InventoryStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new InventoryStore(dataSource) }],
  exports: [InventoryStore],
})
export class InventoryModule {}
