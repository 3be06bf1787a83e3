import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { AUDIT_JOB_KINDS, type AuditJobKind } from '../../platform/audit/audit-jobs';

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

export class StartAuditJobBody {
  @ApiProperty({ enum: AUDIT_JOB_KINDS, description: '`archive-replay` replays every archived history; `archive-verification` walks the digest chain' })
  @IsIn(AUDIT_JOB_KINDS)
  kind!: AuditJobKind;

  @ApiPropertyOptional({ description: 'For a verification: a head digest recorded earlier, to detect deleted newest histories', pattern: '^[0-9a-f]{64}$' })
  @IsOptional() @Matches(/^[0-9a-f]{64}$/, { message: 'expectHead must be a SHA-256 digest in hex' })
  expectHead?: string;
}

export class AuditJobProgressView {
  @ApiProperty({ description: 'Histories done' }) done!: number;
  @ApiProperty({ description: 'Histories in the archive when the job started' }) total!: number;
}

export class ArchiveReplayResultView {
  @ApiProperty({ description: 'True when every archived history replayed against the current workflow code' }) deterministic!: boolean;
  @ApiProperty({ description: 'Histories replayed' }) replayed!: number;
  @ApiProperty({ type: [ReplayVerdictView], description: 'The histories that diverged (at most 100 listed)' }) diverged!: ReplayVerdictView[];
}

export class AuditJobView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: AUDIT_JOB_KINDS }) kind!: AuditJobKind;
  @ApiProperty({ enum: ['running', 'succeeded', 'failed'] }) status!: 'running' | 'succeeded' | 'failed';
  @ApiProperty({ type: String, nullable: true }) expectHead!: string | null;
  @ApiProperty() startedAt!: string;
  @ApiProperty({ type: String, nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: AuditJobProgressView }) progress!: AuditJobProgressView;
  @ApiProperty({
    nullable: true,
    oneOf: [{ $ref: getSchemaPath(ArchiveReplayResultView) }, { $ref: getSchemaPath(ChainVerdictView) }],
    description: 'Once succeeded: ArchiveReplayResultView for a replay, ChainVerdictView for a verification',
  })
  result!: ArchiveReplayResultView | ChainVerdictView | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the job failed' }) error!: string | null;
}
