// The Vast.ai simulator: a real HTTP server on 127.0.0.1 that behaves like Vast.ai, for tests,
// benchmarks and the extension's demo mode. It never imports `vscode`.
export { startSimulator } from './simulator';
export { startDemoSimulator, DEMO_INSTANCES } from './demoScenario';
export type { Simulator } from './simulator';
export { defaultApiKey } from './options';
export type { SimulatorOptions } from './options';
export type { RateLimitSettings, RateLimitSettingsPatch } from './limits/settings';
export type { RateLimitControl, LimitReason } from './limits/rateLimiter';
export type { FaultControl } from './faults/faultControl';
export type { FaultRule, FaultKind, ActiveFault } from './faults/faultRule';
export { RequestLog } from './log/requestLog';
export type { RequestLogEntry, RequestLogFilter } from './log/requestLog';
export { InstanceStore } from './instances/store';
export type { LaunchRequest, ScheduleStep } from './instances/store';
export type { InstanceSeed } from './instances/seeds';
export { DEFAULT_LIFECYCLE } from './instances/lifecycle';
export type { LifecycleSettings, Range, BootOutcome } from './instances/lifecycle';
export type { StatusEvent } from './instances/timeline';
export { OfferCatalogue } from './offers/catalogue';
export { GPU_MODELS } from './offers/gpuModels';
export { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT } from './offers/offerSearch';
export { DEFAULT_ALLOCATED_STORAGE_GB } from './offers/pricing';
export { Account } from './account/account';
