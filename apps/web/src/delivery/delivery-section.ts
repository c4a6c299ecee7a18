import type { GatewayApi } from '../gateway-api';
import { h } from '../dom';
import { createShareLinksPanel } from './share-links-panel';
import { createSubscriptionsPanel } from './subscriptions-panel';

export interface DeliverySection {
  element: HTMLElement;
  dispose(): void;
}

/** Below the dashboard: who receives it (subscriptions) and who may look at it (share links). */
export function createDeliverySection(api: GatewayApi, reportId: string, organizationId: string | null | undefined, announce: (message: string) => void): DeliverySection {
  const element = h('section', { class: 'card delivery-card', attrs: { 'aria-labelledby': 'delivery-title' } },
    h('header', { class: 'card-header' }, h('h2', { attrs: { id: 'delivery-title' } }, 'Delivery and sharing')));
  let disposeSubscriptions = () => {};
  let disposed = false;
  void (organizationId ? api.myRole(organizationId) : Promise.resolve(null)).catch(() => null).then((role) => {
    if (disposed) return;
    const canEdit = role === 'owner' || role === 'editor';
    const subscriptions = createSubscriptionsPanel(api, reportId, canEdit, announce);
    disposeSubscriptions = subscriptions.dispose;
    element.append(h('div', { class: 'delivery-grid' }, subscriptions.element, createShareLinksPanel(api, reportId, canEdit, announce)));
  });
  return {
    element,
    dispose() {
      disposed = true;
      disposeSubscriptions();
    },
  };
}
