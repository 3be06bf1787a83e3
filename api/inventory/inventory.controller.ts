import { BadRequestException, Body, Controller, Delete, Get, NotFoundException, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CredentialStore } from '../auth/credential-store';
import { Roles } from '../auth/roles.decorator';
import { ApiAuthenticatedErrors, ApiErrors } from '../errors/error-body.dto';
import { InventoryStore } from '../../platform/inventory/inventory-store';
import { isSystemName, PutSystemBody, SystemListQuery, SystemView } from './inventory.dto';

/** The customers' systems and how the worker reaches them; requests may name only these. */
@ApiTags('inventory')
@ApiBearerAuth()
@ApiAuthenticatedErrors()
@Roles('operator')
@Controller('inventory')
export class InventoryController {
  constructor(private readonly inventory: InventoryStore, private readonly credentials: CredentialStore) {}

  @Get()
  @ApiOperation({ summary: 'List the systems (of one customer with customerId)' })
  @ApiOkResponse({ type: [SystemView] })
  @ApiErrors(400, 403)
  list(@Query() query: SystemListQuery): Promise<SystemView[]> {
    return this.inventory.list(query.customerId);
  }

  @Put(':customerId/:name')
  @ApiOperation({ summary: "Add a customer's system, or change how it is reached" })
  @ApiOkResponse({ type: SystemView })
  @ApiErrors(400, 403, 404)
  async put(@Param('customerId') customerId: string, @Param('name') name: string, @Body() body: PutSystemBody): Promise<SystemView> {
    if (!isSystemName(name)) throw new BadRequestException(['name must be a host name (letters, digits, dots, hyphens)']);
    if (!(await this.credentials.customerExists(customerId))) throw new NotFoundException(`customer ${customerId} not found`);
    return this.inventory.put({
      customerId,
      name,
      hypervisor: body.hypervisor,
      ssh: body.ssh ? { host: body.ssh.host, port: body.ssh.port ?? 22, user: body.ssh.user, osFamily: body.ssh.osFamily ?? 'linux' } : undefined,
    });
  }

  @Delete(':customerId/:name')
  @ApiOperation({ summary: "Remove a customer's system; answers what was removed (requests already running keep their targets)" })
  @ApiOkResponse({ type: SystemView })
  @ApiErrors(403, 404)
  async remove(@Param('customerId') customerId: string, @Param('name') name: string): Promise<SystemView> {
    const removed = await this.inventory.remove(customerId, name);
    if (!removed) throw new NotFoundException(`system ${name} of customer ${customerId} not found`);
    return removed;
  }
}
