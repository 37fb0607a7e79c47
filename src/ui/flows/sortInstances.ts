import type { SortOrder } from '../instanceTreeModel';
import type { PickItem, Prompter } from '../prompter';

interface OrderItem extends PickItem {
  order: SortOrder;
}

const ORDERS: readonly OrderItem[] = [
  { order: 'state', label: 'State', description: 'running first, then starting, stopped and failed' },
  { order: 'name', label: 'Name' },
  { order: 'price', label: 'Price', description: 'most expensive per hour first' },
  { order: 'uptime', label: 'Uptime', description: 'longest running first' },
];

/** Asks how to order the Instances view; undefined when dismissed. */
export async function sortInstancesFlow(prompter: Prompter, current: SortOrder): Promise<SortOrder | undefined> {
  const items = ORDERS.map((item) => ({ ...item, description: [item.order === current ? '(current)' : '', item.description ?? ''].filter(Boolean).join(' ') }));
  const picked = await prompter.pick(items, { title: 'Sort Instances By', placeholder: 'Order of the instances (within each group when grouped)' });
  return picked && typeof picked === 'object' ? picked.order : undefined;
}
