import { BadRequestException, Body, Controller, Delete, Get, NotFoundException, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InstalledSoftwareStore } from '../../platform/inventory/installed-software-store';
import { InventoryStore } from '../../platform/inventory/inventory-store';
import { VendorStore } from '../../platform/inventory/vendor-store';
import type { Actor } from '../../workflows/update-request.contract';
import { CurrentActor, Roles } from '../auth/roles.decorator';
import { ApiAuthenticatedErrors, ApiErrors } from '../errors/error-body.dto';
import { InstalledSoftwareListQuery, InstalledSoftwareView, PutInstalledSoftwareBody } from './installed-software.dto';

/** What runs on the customers' systems; a request's currentVersion must match it. */
@ApiTags('inventory')
@ApiBearerAuth()
@ApiAuthenticatedErrors()
@Roles('operator')
@Controller('installed-software')
export class InstalledSoftwareController {
  constructor(private readonly installed: InstalledSoftwareStore, private readonly inventory: InventoryStore, private readonly vendors: VendorStore) {}

  @Get()
  @ApiOperation({ summary: "List what is installed (of one customer with customerId), with each release's support window" })
  @ApiOkResponse({ type: [InstalledSoftwareView] })
  @ApiErrors(400, 403)
  list(@Query() query: InstalledSoftwareListQuery): Promise<InstalledSoftwareView[]> {
    return this.installed.list(query.customerId);
  }

  @Put(':customerId/:system/:software')
  @ApiOperation({ summary: 'Record the software installed on a system of the inventory, or correct it' })
  @ApiOkResponse({ type: InstalledSoftwareView })
  @ApiErrors(400, 403, 404)
  async put(@CurrentActor() actor: Actor, @Param('customerId') customerId: string, @Param('system') system: string,
    @Param('software') software: string, @Body() body: PutInstalledSoftwareBody): Promise<InstalledSoftwareView> {
    if (software.trim() === '') throw new BadRequestException(['software must name the software']);
    const scheme = await this.vendors.scheme(body.vendor);
    if (!scheme.read(body.version)) throw new BadRequestException([`version must follow ${body.vendor}'s version scheme ${scheme.text}`]);
    if ((await this.inventory.unknownTargets(customerId, [system])).length > 0) {
      throw new NotFoundException(`system ${system} of customer ${customerId} not found; an operator adds it under /inventory first`);
    }
    return this.installed.put({ customerId, system, software, vendor: body.vendor, version: body.version, component: body.component ?? 'server', updatedBy: actor.id });
  }

  @Delete(':customerId/:system/:software')
  @ApiOperation({ summary: 'Forget the software on a system; answers what was removed' })
  @ApiOkResponse({ type: InstalledSoftwareView })
  @ApiErrors(403, 404)
  async remove(@Param('customerId') customerId: string, @Param('system') system: string, @Param('software') software: string): Promise<InstalledSoftwareView> {
    const removed = await this.installed.remove(customerId, system, software);
    if (!removed) throw new NotFoundException(`${software} is not recorded on system ${system} of customer ${customerId}`);
    return removed;
  }
}
