// The command flows: plain Node, talking to the person only through ctx.prompter.
export { searchOffersFlow, pickOffer } from './searchOffers';
export { batchSearchFlow } from './batchSearch';
export { createInstanceFlow } from './createInstance';
export { createMultipleFlow } from './createMultiple';
export { waitUntilRunningFlow, loadInstances } from './waitUntilRunning';
export {
  startInstanceFlow,
  stopInstanceFlow,
  rebootInstanceFlow,
  renameInstanceFlow,
  destroyInstanceFlow,
  copySshCommandFlow,
  connectRemoteSshFlow,
  openJupyterFlow,
  showLogsFlow,
} from './instanceActions';
export type { OfferFilters } from './offerFilters';
