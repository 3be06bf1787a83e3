import { applyDecorators, Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UpdateDefinition } from '@temporalio/common';
import {
  acceptSlotUpdate, cancelRequestUpdate, confirmSnapshotsDeletedUpdate, confirmSnapshotsRestoredUpdate, confirmTechnicalTestUpdate, decideHostFailureUpdate,
  decideDowngradeUpdate, decideShortNoticeUpdate, extendRetentionUpdate, proposeSlotUpdate, recordHostStepUpdate, recordPreCheckUpdate,
  recordSnapshotsUpdate, rejectUpdateUpdate, reportUserActivityUpdate, requestAnotherSlotUpdate, resolveRejectionUpdate,
  resolveUserActivityUpdate, signOffUpdate,
  type Actor, type Role,
} from '../../workflows/update-request.contract';
import { CurrentActor, Roles } from '../auth/roles.decorator';
import { ApiAuthenticatedErrors, ApiErrors } from '../errors/error-body.dto';
import { RequestActions } from './request-actions.service';
import {
  AcceptSlotBody, CancelRequestBody, ConfirmSnapshotsBody, ConfirmTechnicalTestBody, DecideDowngradeBody, DecideHostFailureBody, DecideShortNoticeBody, ExtendRetentionBody,
  ProposeSlotBody, RecordHostStepBody, RecordPreCheckBody, RecordSnapshotsBody, RejectUpdateBody, ReportUserActivityBody,
  RequestAnotherSlotBody, ResolveRejectionBody, ResolveUserActivityBody, SignOffBody,
} from './request-actions.dto';
import { ActionReceiptView, HostReceiptView } from './request-views.dto';

/**
 * One action route: who may call it, what it does, the Workflow Update it sends (named in the
 * document as `x-workflow-update`), and its answers (the workflow's receipt or an error).
 */
function Action(
  summary: string, roles: Role[], update: Pick<UpdateDefinition<unknown, []>, 'name'>,
  receipt: typeof ActionReceiptView | typeof HostReceiptView = ActionReceiptView,
) {
  return applyDecorators(
    Roles(...roles),
    HttpCode(200),
    ApiOperation({ summary: `${summary} (${roles.join(', ')})` }),
    ApiExtension('x-workflow-update', update.name),
    ApiOkResponse({ type: receipt }),
    ApiErrors(400, 403, 404, 409, 413, 415),
  );
}

/**
 * The human steps of a request, each a Workflow Update named in the contract. The workflow's
 * validator has the last word (409 with its reason); @Roles only turns away roles that never may.
 */
@ApiTags('request actions')
@ApiBearerAuth()
@ApiAuthenticatedErrors()
@Controller('requests/:requestId')
export class RequestActionsController {
  constructor(private readonly actions: RequestActions) {}

  @Post('short-notice-decision')
  @Action('Accept, decline or expedite a short-notice request', ['operator'], decideShortNoticeUpdate)
  decideShortNotice(@CurrentActor() actor: Actor, @Param('requestId') id: string, @Body() body: DecideShortNoticeBody): Promise<ActionReceiptView> {
    return this.actions.perform(actor, id, decideShortNoticeUpdate, body);
  }

  @Post('downgrade-decision')
  @Action('Approve or refuse a declared downgrade (a refusal declines the request)', ['operator'], decideDowngradeUpdate)
  decideDowngrade(@CurrentActor() actor: Actor, @Param('requestId') id: string, @Body() body: DecideDowngradeBody): Promise<ActionReceiptView> {
    return this.actions.perform(actor, id, decideDowngradeUpdate, body);
  }

  @Post('slot-proposals')
  @Action('Propose a slot, or reschedule an accepted one before the cut-off', ['operator'], proposeSlotUpdate)
  proposeSlot(@CurrentActor() actor: Actor, @Param('requestId') id: string, @Body() body: ProposeSlotBody): Promise<ActionReceiptView> {
    return this.actions.perform(actor, id, proposeSlotUpdate, body);
  }

  @Post('slot-acceptance')
  @Action('Accept the proposed slot (off-hours: with written confirmation)', ['customer'], acceptSlotUpdate)
  acceptSlot(@CurrentActor() actor: Actor, @Param('requestId') id: string, @Body() body: AcceptSlotBody): Promise<ActionReceiptView> {
    return this.actions.perform(actor, id, acceptSlotUpdate, body);
  }

  @Post('slot-change-requests')
  @Action('Ask for another slot', ['customer'], requestAnotherSlotUpdate)
  requestAnotherSlot(@CurrentActor() actor: Actor, @Param('requestId') id: string, @Body() body: RequestAnotherSlotBody): Promise<ActionReceiptView> {
    return this.actions.perform(actor, id, requestAnotherSlotUpdate, body);
  }

  @Post('pre-checks')
  @Action('Record a pre-check result', ['operator'], recordPreCheckUpdate)
  recordPreCheck(@CurrentActor() actor: Actor, @Param('requestId') id: string, @Body() body: RecordPreCheckBody): Promise<ActionReceiptView> {
    return this.actions.perform(actor, id, recordPreCheckUpdate, body);
  }

  @Post('snapshots')
  @Action('Record the snapshot ids taken by hand', ['operator'], recordSnapshotsUpdate)
  recordSnapshots(@CurrentActor() actor: Actor, @Param('requestId') id: string, @Body() body: RecordSnapshotsBody): Promise<ActionReceiptView> {
    return this.actions.perform(actor, id, recordSnapshotsUpdate, body);
  }

  @Post('user-activity-reports')
  @Action('Attest how many users are active on the targets', ['operator'], reportUserActivityUpdate)
  reportUserActivity(@CurrentActor() actor: Actor, @Param('requestId') id: string, @Body() body: ReportUserActivityBody): Promise<ActionReceiptView> {
    return this.actions.perform(actor, id, reportUserActivityUpdate, body);
  }

  @Post('user-activity-resolution')
  @Action('Proceed despite active users (with a reason), postpone, or check again a host that could not be checked', ['operator'], resolveUserActivityUpdate)
  resolveUserActivity(@CurrentActor() actor: Actor, @Param('requestId') id: string, @Body() body: ResolveUserActivityBody): Promise<ActionReceiptView> {
    return this.actions.perform(actor, id, resolveUserActivityUpdate, body);
  }

  @Post('hosts/:target/steps')
  @Action('Record an install, configure or technical-test step on one target', ['operator'], recordHostStepUpdate, HostReceiptView)
  recordHostStep(
    @CurrentActor() actor: Actor, @Param('requestId') id: string, @Param('target') target: string, @Body() body: RecordHostStepBody,
  ): Promise<HostReceiptView> {
    return this.actions.performOnHost(actor, id, target, recordHostStepUpdate, body);
  }

  @Post('hosts/:target/failure-decision')
  @Action('Retry the failed step, roll back, or abort', ['operator'], decideHostFailureUpdate, HostReceiptView)
  decideHostFailure(
    @CurrentActor() actor: Actor, @Param('requestId') id: string, @Param('target') target: string, @Body() body: DecideHostFailureBody,
  ): Promise<HostReceiptView> {
    return this.actions.performOnHost(actor, id, target, decideHostFailureUpdate, body);
  }

  @Post('hosts/:target/technical-test-confirmation')
  @Action("Confirm the automated technical test that passed on one target, with optional notes", ['operator'], confirmTechnicalTestUpdate, HostReceiptView)
  confirmTechnicalTest(
    @CurrentActor() actor: Actor, @Param('requestId') id: string, @Param('target') target: string, @Body() body: ConfirmTechnicalTestBody,
  ): Promise<HostReceiptView> {
    return this.actions.performOnHost(actor, id, target, confirmTechnicalTestUpdate, body);
  }

  @Post('snapshots/restored')
  @Action('Confirm every snapshot restored by hand (rollback)', ['operator'], confirmSnapshotsRestoredUpdate)
  confirmSnapshotsRestored(@CurrentActor() actor: Actor, @Param('requestId') id: string, @Body() body: ConfirmSnapshotsBody): Promise<ActionReceiptView> {
    return this.actions.perform(actor, id, confirmSnapshotsRestoredUpdate, body);
  }

  @Post('snapshots/deleted')
  @Action('Confirm every snapshot deleted by hand', ['operator'], confirmSnapshotsDeletedUpdate)
  confirmSnapshotsDeleted(@CurrentActor() actor: Actor, @Param('requestId') id: string, @Body() body: ConfirmSnapshotsBody): Promise<ActionReceiptView> {
    return this.actions.perform(actor, id, confirmSnapshotsDeletedUpdate, body);
  }

  @Post('sign-off')
  @Action('Sign the update off after the functional tests', ['customer'], signOffUpdate)
  signOff(@CurrentActor() actor: Actor, @Param('requestId') id: string, @Body() body: SignOffBody): Promise<ActionReceiptView> {
    return this.actions.perform(actor, id, signOffUpdate, body);
  }

  @Post('rejection')
  @Action('Report a functional test failure instead of signing off', ['customer'], rejectUpdateUpdate)
  rejectUpdate(@CurrentActor() actor: Actor, @Param('requestId') id: string, @Body() body: RejectUpdateBody): Promise<ActionReceiptView> {
    return this.actions.perform(actor, id, rejectUpdateUpdate, body);
  }

  @Post('rejection-resolution')
  @Action('Fix named targets or roll back after a reported failure', ['operator'], resolveRejectionUpdate)
  resolveRejection(@CurrentActor() actor: Actor, @Param('requestId') id: string, @Body() body: ResolveRejectionBody): Promise<ActionReceiptView> {
    return this.actions.perform(actor, id, resolveRejectionUpdate, body);
  }

  @Post('retention-extension')
  @Action('Extend the snapshot retention once', ['operator'], extendRetentionUpdate)
  extendRetention(@CurrentActor() actor: Actor, @Param('requestId') id: string, @Body() body: ExtendRetentionBody): Promise<ActionReceiptView> {
    return this.actions.perform(actor, id, extendRetentionUpdate, body);
  }

  @Post('cancellation')
  @Action('Cancel the request (until installation starts)', ['customer', 'operator'], cancelRequestUpdate)
  cancel(@CurrentActor() actor: Actor, @Param('requestId') id: string, @Body() body: CancelRequestBody): Promise<ActionReceiptView> {
    return this.actions.perform(actor, id, cancelRequestUpdate, body);
  }
}
