// What an op does to which entry, as a string: two passes that would make the same change give the same key
// (the resync's drift count compares its ops with those the known table foresaw, reconciler.ts).

import { destId, serviceId } from './keys';
import type { Op } from './ops';

/** The serviceId of the service an op is about. */
export function opServiceId(op: Op): string {
  return serviceId(op.kind === 'delete-service' || op.kind === 'delete-dest' ? op.key : op.service);
}

export function opKey(op: Op): string {
  switch (op.kind) {
    case 'add-service':
    case 'edit-service':
      return [op.kind, serviceId(op.service)].join(' ');
    case 'delete-service':
      return [op.kind, serviceId(op.key)].join(' ');
    case 'add-dest':
    case 'edit-dest':
      return [op.kind, serviceId(op.service), destId(op.dest), op.dest.weight].join(' ');
    case 'delete-dest':
      return [op.kind, serviceId(op.key), destId(op.dest)].join(' ');
  }
}
