/**
 * Sharded serial executors: every task keyed by one Call-ID (or session id) runs on the same
 * single-threaded shard in submission order, so per-call state needs no locks (DESIGN.md,
 * "Threads").
 */
package io.rvoip.infra.concurrent;
