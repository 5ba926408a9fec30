export { type Bus, type BusOptions, connectBus } from './bus.js';
export { type CreditEvent, type NewEvent, fromMessage, toHeaders, wireHeaders } from './envelope.js';
export { type StreamBase, type StreamOptions, ensureStreams, streamName } from './streams.js';
export { Outbox, type OutboxEntry, type OutboxHandOff, OUTBOX_CHANNEL } from './outbox.js';
export { OutboxRelay, type OutboxRelayOptions } from './relay.js';
export { InboxConsumer, type InboxConsumerOptions } from './consumer.js';
export { ensureDurable, type DurableSpec } from './durable.js';
export { PoisonEvent } from './poison.js';
export { publishEvent } from './publish.js';
