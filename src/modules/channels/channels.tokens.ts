/**
 * String aliases of channel services for the e2e tests. startApp boots the app in an isolated
 * module registry (jest.isolateModules), where a test file's copy of a class is not the app's, so
 * `app.get(LedgerMaintenanceService)` would not find it; `app.get(LEDGER_MAINTENANCE)` does.
 */
export const LEDGER_MAINTENANCE = 'LedgerMaintenance';
export const INBOUND_CONSUMERS = 'InboundConsumers';
