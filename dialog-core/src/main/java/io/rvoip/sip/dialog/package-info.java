/**
 * SIP dialogs (RFC 3261 §12–§15) above transaction-core: {@link io.rvoip.sip.dialog.DialogLayer},
 * {@link io.rvoip.sip.dialog.Dialog}, {@link io.rvoip.sip.dialog.DialogEvent}.
 */
package io.rvoip.sip.dialog;
