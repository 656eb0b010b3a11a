/** Implementation of rollback-db. Not API: anything here may change without notice. */
@NullMarked
package dev.rollback.db.internal;

import org.jspecify.annotations.NullMarked;
