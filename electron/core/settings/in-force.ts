import type { SettingsView } from '../../../shared/contract';
import type { SessionConfig } from '../session/session-service';

/**
 * The settings view with what the start-up decided instead of them. The journal and card named
 * in AKSON_* variables (npm start, a support run, the embedded demo journal of an installed build)
 * go before the settings (`sessionConfigFrom`); without this the settings screen said "not set"
 * for the journal the workstation was working against.
 */
export const withInForce = (view: SettingsView, session: SessionConfig): SettingsView => {
  const setting = view.values.journalUrl?.replace(/\/+$/, '');
  const inForce = {
    ...(session.journalUrl !== undefined && session.journalUrl !== setting ? { journalUrl: session.journalUrl } : {}),
    ...(session.demoJournal ? { demoJournal: true } : {}),
    ...(session.card?.kind === 'test-card' ? { testCard: true } : {}),
    ...(session.card?.kind === 'pkcs11' && session.card.modulePath !== view.values.pkcs11Module ? { pkcs11Module: session.card.modulePath } : {}),
  };
  return Object.keys(inForce).length > 0 ? { ...view, inForce } : view;
};
