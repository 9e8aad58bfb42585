/**
 * Implementation helpers shared by the infra-common packages and the layers above. Not a
 * public API: types here may change in any release.
 */
package io.rvoip.infra.internal;
