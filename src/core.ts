// The plain-Node entry (dist/core.js): everything that talks to Vast.ai, usable outside the editor.
//   const { VastClient, startSimulator } = require('./dist/core.js');
// Clients here share each key's budget and instance poll with the other processes on the machine
// (VS Code windows, other scripts); VAST_SHARE_BUDGET=0 or `shareBudget: false` turns that off.
import { processBudgets } from './api/budgetRegistry';
import { shareBudgetsAcrossProcesses } from './coordination/processCoordination';

shareBudgetsAcrossProcesses(processBudgets);
export { configureCoordination } from './coordination/processCoordination';
export type { CoordinationSettings } from './coordination/processCoordination';
export { VastClient, DEFAULT_API_URL } from './api/vastClient';
export type { VastClientOptions, CreateInstanceOptions, CreatedInstance, BatchSearchOutcome } from './api/vastClient';
export { VastApiError, isVastApiError } from './api/errors';
export type { VastErrorKind } from './api/errors';
export { buildSearchBody, describeOfferQuery, normalizeGpuName, searchKey, OFFER_ORDERS, REGIONS } from './api/offerQuery';
export type { OfferQuery, OfferOrder } from './api/offerQuery';
export type { SearchResult } from './api/searchCache';
export type { GateState, IntervalSource } from './api/endpointGate';
export type { RequestEvent } from './api/transport';
export { startSimulator } from './simulator';
export type { Simulator, SimulatorOptions } from './simulator';
export { InstanceMonitor } from './monitor/instanceMonitor';
export type { InstanceSource, MonitorSnapshot, MonitorChange, WaitOptions, WaitProgress, MonitorOptions } from './monitor/instanceMonitor';
export { WaitError } from './monitor/waitError';
export type { WaitErrorKind } from './monitor/waitError';
export { provisionInstances } from './monitor/provisioner';
export type { ProvisionRequest, ProvisionReport, ProvisionProgress, SlotReport } from './monitor/provisioner';
export { isTransitional, isRunning, describeStatus } from './monitor/instanceStatus';
export { systemClock } from './util/clock';
export type { Clock } from './util/clock';
export { ENDPOINTS, ENDPOINT_CLASSES, classifyRequest } from './vast/endpoints';
export type { EndpointClass, EndpointInfo } from './vast/endpoints';
export type * from './vast/types';
