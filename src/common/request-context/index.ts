export { RequestContext } from './request-context';
export type { RequestStore } from './request-context';
