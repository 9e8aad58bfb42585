/** Registration (RFC 3261 §10): the client ({@code Registration}) and the registrar with its binding store. */
package io.rvoip.sip.dialog.registration;
