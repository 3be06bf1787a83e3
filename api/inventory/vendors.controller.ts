import { BadRequestException, Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DEFAULT_SUPPORTED_MONTHS, VendorStore } from '../../platform/inventory/vendor-store';
import { VersionScheme } from '../../platform/inventory/version-scheme';
import { Roles } from '../auth/roles.decorator';
import { ApiAuthenticatedErrors, ApiErrors } from '../errors/error-body.dto';
import { PutReleaseBody, PutVersionSchemeBody, ReleaseView, VersionSchemeView } from './vendors.dto';

/** Each vendor's version scheme and its releases' support windows, as the vendor publishes them. */
@ApiTags('inventory')
@ApiBearerAuth()
@ApiAuthenticatedErrors()
@Roles('operator')
@Controller('vendors')
export class VendorsController {
  constructor(private readonly vendors: VendorStore) {}

  @Get()
  @ApiOperation({ summary: 'List the vendors with a version scheme of their own (the others use the default)' })
  @ApiOkResponse({ type: [VersionSchemeView] })
  @ApiErrors(403)
  list(): Promise<VersionSchemeView[]> {
    return this.vendors.schemes();
  }

  @Put(':vendor')
  @ApiOperation({ summary: "Set the vendor's version scheme" })
  @ApiOkResponse({ type: VersionSchemeView })
  @ApiErrors(400, 403)
  put(@Param('vendor') vendor: string, @Body() body: PutVersionSchemeBody): Promise<VersionSchemeView> {
    const scheme = VersionScheme.parse(body.versionScheme);
    if (typeof scheme === 'string') throw new BadRequestException([`versionScheme: ${scheme}`]);
    return this.vendors.putScheme(vendor, scheme);
  }

  @Get(':vendor/releases')
  @ApiOperation({ summary: "List the vendor's recorded releases with their support windows" })
  @ApiOkResponse({ type: [ReleaseView] })
  @ApiErrors(403)
  releases(@Param('vendor') vendor: string): Promise<ReleaseView[]> {
    return this.vendors.releases(vendor);
  }

  @Put(':vendor/releases/:software/:version')
  @ApiOperation({ summary: 'Record a release: its date and how many months the vendor supports it (default 24)' })
  @ApiOkResponse({ type: ReleaseView })
  @ApiErrors(400, 403)
  async putRelease(@Param('vendor') vendor: string, @Param('software') software: string, @Param('version') version: string,
    @Body() body: PutReleaseBody): Promise<ReleaseView> {
    const scheme = await this.vendors.scheme(vendor);
    if (!scheme.read(version)) throw new BadRequestException([`version must follow ${vendor}'s version scheme ${scheme.text}`]);
    return this.vendors.putRelease({ vendor, software, version, releasedOn: body.releasedOn, supportedMonths: body.supportedMonths ?? DEFAULT_SUPPORTED_MONTHS });
  }
}
