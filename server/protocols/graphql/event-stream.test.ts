import { describe, expect, it } from 'vitest';
import { EventBus, type DomainEvent } from '../../domain/index.ts';
import { domainEventStream, SubscriberTooSlowError } from './event-stream.ts';

const titleOf = (event: DomainEvent) => (event.type === 'post.created' ? (event.data as { title: string }).title : undefined);
const post = (title: string) => ({ id: 1, author_id: 1, title, content: 'c', created_at: '', updated_at: '', version: 1 });

describe('domainEventStream', () => {
  it('yields the selected events of its sandbox, in order, from the moment it is created', async () => {
    const bus = new EventBus();
    bus.emit('post.created', 'a', post('before'));
    const stream = domainEventStream(bus, 'a', titleOf, 10);
    bus.emit('post.created', 'a', post('one'));
    bus.emit('post.created', 'b', post('other sandbox'));
    bus.emit('user.deleted', 'a', { id: 1 });
    expect(await stream.next()).toEqual({ value: 'one', done: false });
    const waiting = stream.next();
    bus.emit('post.created', 'a', post('two'));
    expect(await waiting).toEqual({ value: 'two', done: false });
  });

  it('unsubscribes on return() and calls onEnd once', async () => {
    const bus = new EventBus();
    let ended = 0;
    const stream = domainEventStream(bus, 'a', titleOf, 10, () => (ended += 1));
    const pending = stream.next();
    await stream.return!();
    await stream.return!();
    expect(await pending).toEqual({ value: undefined, done: true });
    bus.emit('post.created', 'a', post('after'));
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    expect(ended).toBe(1);
  });

  it('ends with SubscriberTooSlowError when more than maxQueued events wait', async () => {
    const bus = new EventBus();
    let ended = 0;
    const stream = domainEventStream(bus, 'a', titleOf, 2, () => (ended += 1));
    for (const title of ['1', '2', '3']) bus.emit('post.created', 'a', post(title));
    expect(ended).toBe(1);
    await expect(stream.next()).rejects.toBeInstanceOf(SubscriberTooSlowError);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });
});
