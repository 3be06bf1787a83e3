import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ExportedHistoryView {
  @ApiProperty() workflowId!: string;
  @ApiProperty() runId!: string;
  @ApiProperty({ enum: ['temporal', 'archive', 'file'], description: 'Where the history was read from' }) source!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "Temporal's proto3-JSON history, as `temporal workflow show --output json` prints it" })
  history!: Record<string, unknown>;
}

export class RequestHistoriesView {
  @ApiProperty() requestId!: string;
  @ApiProperty({ type: [ExportedHistoryView], description: 'The request workflow and each host workflow' }) histories!: ExportedHistoryView[];
}

export class ReplayVerdictView {
  @ApiProperty() workflowId!: string;
  @ApiProperty() runId!: string;
  @ApiProperty({ description: 'Where the history came from: `archive`, `temporal` or a file name' }) origin!: string;
  @ApiProperty() deterministic!: boolean;
  @ApiPropertyOptional({ description: 'The exact divergence the replayer reported' }) divergence?: string;
}

export class ReplayReportView {
  @ApiProperty({ description: 'True when every history replayed against the current workflow code' }) deterministic!: boolean;
  @ApiProperty({ type: [ReplayVerdictView] }) verdicts!: ReplayVerdictView[];
}

export class BrokenLinkView {
  @ApiProperty() seq!: number;
  @ApiProperty() workflowId!: string;
  @ApiProperty() reason!: string;
}

export class ChainVerdictView {
  @ApiProperty() intact!: boolean;
  @ApiProperty({ description: 'Histories checked' }) checked!: number;
  @ApiProperty({ type: String, nullable: true, description: 'The newest digest; keep it to detect later deletions' }) headDigest!: string | null;
  @ApiPropertyOptional({ type: BrokenLinkView }) brokenLink?: BrokenLinkView;
}

export class AuditReportView {
  @ApiProperty() requestId!: string;
  @ApiProperty() outcome!: string;
  @ApiProperty() finishedAt!: string;
  @ApiProperty() generatedAt!: string;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'The histories read, with their archive link' })
  histories!: unknown[];
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'Every step: actor, role, evidence, time and its Temporal event ids' })
  steps!: unknown[];
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'Where audit_events disagrees with the history; empty when they agree' })
  differences!: unknown[];
}
