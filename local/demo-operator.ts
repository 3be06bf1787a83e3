import { ConsoleSessions } from '../api/auth/console-sessions';
import { PeopleStore } from '../api/auth/people-store';
import { signInLink } from '../api/auth/sign-in.service';
import type { AppConfig } from '../platform/config';
import { createDataSource } from '../platform/database/data-source';

/** The operator `npm start` creates in its own database, so a newcomer can open the console at once. */
export const DEMO_OPERATOR_EMAIL = 'operator@managed-updates.local';

/** Makes sure the demo operator exists and returns a fresh one-time sign-in link for them. */
export async function demoOperatorSignInLink(config: AppConfig): Promise<string> {
  const dataSource = await createDataSource(config.database).initialize();
  try {
    const people = new PeopleStore(dataSource);
    const person = (await people.findActive(DEMO_OPERATOR_EMAIL)) ?? (await people.add({ email: DEMO_OPERATOR_EMAIL, role: 'operator' }));
    const token = await new ConsoleSessions(dataSource).issueLink(person.id, config.console.signInLinkMinutes);
    return signInLink(config.console.url, token);
  } finally {
    await dataSource.destroy();
  }
}
