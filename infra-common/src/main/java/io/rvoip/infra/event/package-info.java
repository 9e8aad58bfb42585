/**
 * The event bus through which each layer tells the layer above what happened: typed,
 * immutable events, per-routing-key ordering, inline, shard or asynchronous delivery, and
 * explicit, counted backpressure (DESIGN.md, "How the layers talk").
 */
package io.rvoip.infra.event;
