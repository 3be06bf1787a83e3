import Handlebars from 'handlebars';
import type { AuditReport } from './audit-report';

// Handlebars escapes every value, so evidence typed by customers cannot inject markup into the page.
const PAGE = Handlebars.compile(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Audit report {{requestId}}</title>
<style>
  body { font: 11pt/1.4 system-ui, sans-serif; margin: 2em; color: #111; }
  h1 { font-size: 16pt; margin-bottom: 0.2em; }
  table { border-collapse: collapse; width: 100%; }
  th, td { border: 1px solid #999; padding: 3px 6px; text-align: left; vertical-align: top; font-size: 9.5pt; }
  th { background: #eee; }
  dl.evidence { margin: 0; } dl.evidence dt { font-weight: 600; display: inline; } dl.evidence dd { display: inline; margin: 0 0.8em 0 0.2em; }
  .agree { color: #064; } .disagree { color: #a00; }
  @media print { body { margin: 0; } tr { page-break-inside: avoid; } }
</style>
</head>
<body>
<h1>Audit report: update request {{requestId}}</h1>
<p>Outcome <strong>{{outcome}}</strong>, finished {{finishedAt}}. Generated {{generatedAt}}.</p>
<h2>Histories</h2>
<table>
<tr><th>Workflow</th><th>Run</th><th>Read from</th><th>Events</th><th>Archive seq and digest</th></tr>
{{#each histories}}<tr><td>{{workflowId}}</td><td>{{runId}}</td><td>{{source}}</td><td>{{events}}</td><td>{{#if archive}}{{archive.seq}}: <code>{{archive.digest}}</code>{{/if}}</td></tr>
{{/each}}
</table>
<h2>Timeline</h2>
<table>
<tr><th>Time (UTC)</th><th>Step</th><th>Action</th><th>Actor</th><th>Role</th><th>Target</th><th>Evidence</th><th>Temporal events</th></tr>
{{#each steps}}<tr>
<td>{{at}}</td><td>{{step}}</td><td>{{action}}</td><td>{{actor}}</td><td>{{role}}</td><td>{{target}}</td>
<td><dl class="evidence">{{#each evidence}}<dt>{{@key}}</dt><dd>{{this}}</dd>{{/each}}</dl></td>
<td>{{temporal.workflowId}}: task {{temporal.workflowTaskEventId}}{{#if temporal.eventIds.length}}, events {{#each temporal.eventIds}}{{this}}{{#unless @last}}, {{/unless}}{{/each}}{{/if}}</td>
</tr>
{{/each}}
</table>
<h2>Check against the audit table</h2>
{{#if differences.length}}
<p class="disagree">The audit_events table differs from the history in {{differences.length}} place(s):</p>
<table>
<tr><th>Entry</th><th>Problem</th><th>Field</th><th>History</th><th>Table</th></tr>
{{#each differences}}<tr><td>{{key}}</td><td>{{problem}}</td><td>{{field}}</td><td>{{json history}}</td><td>{{json table}}</td></tr>
{{/each}}
</table>
{{else}}
<p class="agree">Every one of the {{steps.length}} entries agrees with the audit_events table, which holds nothing else.</p>
{{/if}}
</body>
</html>
`);

Handlebars.registerHelper('json', (value: unknown) => (value === undefined ? '' : JSON.stringify(value)));

/** The report as a self-contained, printable HTML page (print it to PDF from any browser). */
export function renderAuditReportHtml(report: AuditReport): string {
  return PAGE(report);
}
