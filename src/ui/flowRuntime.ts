/**
 * Every command flow and the watch notices, loaded together (`import()`) when the first one runs:
 * one piece rather than one per flow, since flows share most of their code (offer picker, create,
 * wait, connect) and each piece repeats the module glue.
 */
export { batchSearchFlow } from './flows/batchSearch';
export { createInstanceFlow } from './flows/createInstance';
export { createMultipleFlow } from './flows/createMultiple';
export { connectRemoteSshFlow, copySshCommandFlow, openJupyterFlow, showLogsFlow } from './flows/connect';
export { destroyInstanceFlow, rebootInstanceFlow, renameInstanceFlow, startInstanceFlow, stopInstanceFlow } from './flows/instanceActions';
export { manageSshKeysFlow } from './flows/manageSshKeys';
export { quickSearchFlow, searchOffersFlow } from './flows/searchOffers';
export { waitUntilRunningFlow } from './flows/waitUntilRunning';
export { destroyPendingNotice, idleNotice, lowCreditNotice } from './watchNotices';
