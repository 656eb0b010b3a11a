/**
 * Only one rollback per service at a time: the {@link dev.rollback.core.lock.RollbackLock} SPI, with
 * an in-process and a file-based implementation in core (a Kubernetes Lease and a database advisory
 * lock come with their modules).
 */
@NullMarked
package dev.rollback.core.lock;

import org.jspecify.annotations.NullMarked;
