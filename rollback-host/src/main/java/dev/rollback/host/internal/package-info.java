/** Implementation of rollback-host. Not API: anything here may change without notice. */
@NullMarked
package dev.rollback.host.internal;

import org.jspecify.annotations.NullMarked;
