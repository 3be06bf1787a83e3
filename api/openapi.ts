import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ErrorBodyView } from './errors/error-body.dto';

/** Where the interactive documentation and the raw OpenAPI document are served (no key needed). */
export const DOCS_PATH = 'docs';
export const DOCS_JSON_PATH = 'docs-json';

/** The OpenAPI document, generated from the controllers' and DTOs' decorators. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('managed-updates API')
    .setDescription(
      'Customers submit software-update requests and sign them off, operators drive each step, auditors read. ' +
      'Every call but /health, /metrics and /docs needs `Authorization: Bearer <API key>`. ' +
      'Every error has the ErrorBody format.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key issued by `npm run credentials`' })
    .build();
  return SwaggerModule.createDocument(app, builder, { extraModels: [ErrorBodyView] });
}

/** Serves the document; Express routes outside Nest's router, so the authentication guard does not apply. */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, openApiDocument(app), { jsonDocumentUrl: DOCS_JSON_PATH, yamlDocumentUrl: `${DOCS_JSON_PATH}.yaml` });
}
