import type { EndpointClass } from '../../vast/endpoints';
import { createInstance } from './createInstance';
import { currentUser } from './currentUser';
import { destroyInstance } from './destroyInstance';
import { listInstances } from './listInstances';
import { listInstancesLegacy } from './listInstancesLegacy';
import { manageInstance } from './manageInstance';
import { rebootInstance } from './rebootInstance';
import { requestLogs } from './requestLogs';
import type { RouteHandler } from './route';
import { searchOffers } from './searchOffers';
import { showInstance } from './showInstance';
import { addAccountKey, attachInstanceKey, listAccountKeys, listInstanceKeys, removeAccountKey } from './sshKeys';

/** One handler per endpoint class; `classifyRequest` (src/vast/endpoints.ts) does the routing. */
export const HANDLERS: Readonly<Record<EndpointClass, RouteHandler>> = {
  search: searchOffers,
  instances: listInstances,
  instancesLegacy: listInstancesLegacy,
  instance: showInstance,
  create: createInstance,
  manage: manageInstance,
  reboot: rebootInstance,
  destroy: destroyInstance,
  user: currentUser,
  logs: requestLogs,
  sshKeys: listAccountKeys,
  sshKeyAdd: addAccountKey,
  sshKeyRemove: removeAccountKey,
  instanceSshKeys: listInstanceKeys,
  sshKeyAttach: attachInstanceKey,
};

/** Classes a read-only key may not call (Vast's `instance_write` group). */
export const WRITE_CLASSES: ReadonlySet<EndpointClass> = new Set(['create', 'manage', 'reboot', 'destroy', 'sshKeyAttach']);
