import { ApiProperty } from '@nestjs/swagger';

/** Publishing takes no input; the body is an (empty) object like every other POST's. */
export class PublishSecurityAdvisoryBody {}

export class SecurityAdvisoryView {
  @ApiProperty({ format: 'uuid' }) requestId!: string;
  @ApiProperty({ description: 'The operator who published it' }) publishedBy!: string;
  @ApiProperty({ format: 'date-time' }) publishedAt!: string;
  @ApiProperty({ description: 'The workflow that mails every customer with the software installed' }) workflowId!: string;
}
