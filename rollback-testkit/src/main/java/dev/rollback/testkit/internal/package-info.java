/** Implementation of the Rollback testkit. Not API: anything here may change without notice. */
@NullMarked
package dev.rollback.testkit.internal;

import org.jspecify.annotations.NullMarked;
