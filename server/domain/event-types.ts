// Every kind of change the domain announces (the AsyncAPI document lists its channels from
// this): the event stream's contract keeps the list, which the web app reads too.
export { DOMAIN_EVENT_TYPES, type DomainEventType } from '../../contracts/sse/events.ts';
