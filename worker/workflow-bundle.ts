import path from 'node:path';
import { projectRoot } from '../platform/project-root';

/** Where `npm run build` writes the bundled workflow code that the worker loads. */
export const WORKFLOW_BUNDLE_PATH = path.join(projectRoot(), 'dist', 'workflow-bundle.js');
