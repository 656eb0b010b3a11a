/** Implementation of Rollback core. Not API: anything here may change without notice. */
@NullMarked
package dev.rollback.core.internal;

import org.jspecify.annotations.NullMarked;
