/** The start/stop contract that every long-lived component implements. */
package io.rvoip.infra.lifecycle;
