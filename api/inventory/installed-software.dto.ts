import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { COMPONENTS, type Component, type InstalledSoftware, type SupportWindow } from '../../platform/inventory/installed-software-store';
import { IsAbsentOr, IsText } from '../validation/shape.decorators';

/** What is installed on a system; the software's name and the system are the path. */
export class PutInstalledSoftwareBody {
  @ApiProperty({ example: 'Abacus' }) @IsText(1, 200) vendor!: string;
  @ApiProperty({ description: "In the vendor's version scheme", example: '2024.1.0.0' }) @IsText(1, 100) version!: string;

  @ApiPropertyOptional({ enum: COMPONENTS, default: 'server', description: 'Whether the system runs the server or a client of the software' })
  @IsIn(COMPONENTS) @IsAbsentOr()
  component?: Component;
}

export class SupportWindowView implements SupportWindow {
  @ApiProperty({ format: 'date' }) releasedOn!: string;
  @ApiProperty({ format: 'date', description: 'The first day the vendor no longer supports the release' }) endsOn!: string;
  @ApiProperty({ enum: ['supported', 'ending', 'ended'], description: '`ending`: support ends within 60 days' }) status!: SupportWindow['status'];
  @ApiPropertyOptional({ format: 'date-time', description: 'When the customer was warned by mail that support ends soon; absent until it was' }) warnedAt?: string;
}

export class InstalledSoftwareView implements InstalledSoftware {
  @ApiProperty() customerId!: string;
  @ApiProperty() system!: string;
  @ApiProperty() software!: string;
  @ApiProperty() vendor!: string;
  @ApiProperty() version!: string;
  @ApiProperty({ enum: COMPONENTS }) component!: Component;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ description: "The operator, or `request <id>` when a signed-off update moved it forward" }) updatedBy!: string;
  @ApiPropertyOptional({ type: SupportWindowView, description: 'Absent when the release is not recorded under /vendors' }) support?: SupportWindowView;
}

export class InstalledSoftwareListQuery {
  @ApiPropertyOptional({ description: "Only this customer's software" }) @IsText(1, 200) @IsAbsentOr()
  customerId?: string;
}
