import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { OS_FAMILIES, type InventorySystem, type OsFamily } from '../../platform/inventory/inventory-store';
import { IsText } from '../validation/shape.decorators';

const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;

export class HypervisorAddressDto {
  @ApiProperty({ description: 'libvirt connection URI', example: 'qemu+ssh://virt@kvm-01.example/system' })
  @Matches(/^[a-z0-9+]+:\/\/\S*$/, { message: 'uri must be a libvirt connection URI such as qemu:///system' }) @Length(1, 500) @IsString()
  uri!: string;

  @ApiProperty({ description: 'The domain (VM) name on that hypervisor', example: 'erp-app-01' })
  @Matches(/^[^\s/]+$/, { message: 'domain must be a libvirt domain name (no spaces or slashes)' }) @Length(1, 200) @IsString()
  domain!: string;
}

export class SshAddressDto {
  @ApiProperty({ example: 'erp-app-01.customer.example' })
  @Matches(HOST_NAME, { message: 'host must be a host name or IP address' }) @Length(1, 253) @IsString()
  host!: string;

  @ApiPropertyOptional({ default: 22 }) @Max(65535) @Min(1) @IsInt() @IsOptional()
  port?: number;

  @ApiProperty({ example: 'mu-check' })
  @Matches(/^[A-Za-z0-9._][A-Za-z0-9._-]*$/, { message: 'user must be a login name' }) @Length(1, 100) @IsString()
  user!: string;

  @ApiPropertyOptional({ enum: OS_FAMILIES, default: 'linux' }) @IsIn(OS_FAMILIES) @IsOptional()
  osFamily?: OsFamily;
}

/** How a system is reached; either part may be left out when that provider does not serve it. */
export class PutSystemBody {
  @ApiPropertyOptional({ type: HypervisorAddressDto }) @ValidateNested() @Type(() => HypervisorAddressDto) @IsOptional()
  hypervisor?: HypervisorAddressDto;

  @ApiPropertyOptional({ type: SshAddressDto }) @ValidateNested() @Type(() => SshAddressDto) @IsOptional()
  ssh?: SshAddressDto;
}

export class SystemView implements InventorySystem {
  @ApiProperty() customerId!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ type: HypervisorAddressDto }) hypervisor?: { uri: string; domain: string };
  @ApiPropertyOptional({ type: SshAddressDto }) ssh?: { host: string; port: number; user: string; osFamily: OsFamily };
}

export class SystemListQuery {
  @ApiPropertyOptional({ description: "Only this customer's systems" }) @IsText(1, 200) @IsOptional()
  customerId?: string;
}

/** A path's system name: the target name requests use. */
export function isSystemName(name: string): boolean {
  return name.length <= 253 && HOST_NAME.test(name);
}
