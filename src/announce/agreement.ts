// Decide: does the kernel table agree with the director's plan? A reducer over what the reconciler reports
// (the daemon adapts its events to TableEvent). A refused operation puts its service in doubt; a failed read
// of the table puts every service in doubt; a clean full pass (start, reload, resync: each reads the whole
// owned table and applies every difference) settles all doubt. A transition pass covers only some services,
// so it settles nothing: a service in doubt stays withdrawn until the next clean full pass (resyncinterval).

export type TableEvent =
  | { readonly type: 'op-failed'; readonly serviceId: string }
  | { readonly type: 'read-failed' }
  | { readonly type: 'pass'; readonly full: boolean; readonly failed: number };

export interface Agreement {
  /** A read of the table failed since the last clean full pass. */
  readonly allInDoubt: boolean;
  /** Service ids (src/ipvs/keys.ts serviceId) with a refused operation since the last clean full pass. */
  readonly inDoubt: ReadonlySet<string>;
}

export const AGREED: Agreement = Object.freeze({ allInDoubt: false, inDoubt: new Set<string>() });

export function nextAgreement(a: Agreement, e: TableEvent): Agreement {
  switch (e.type) {
    case 'op-failed':
      return a.inDoubt.has(e.serviceId) ? a : { ...a, inDoubt: new Set([...a.inDoubt, e.serviceId]) };
    case 'read-failed':
      return a.allInDoubt ? a : { ...a, allInDoubt: true };
    case 'pass':
      return e.full && e.failed === 0 ? AGREED : a;
  }
}

export const agrees = (a: Agreement, serviceId: string): boolean => !a.allInDoubt && !a.inDoubt.has(serviceId);
