/**
 * The release ledger: which version of a service ran in production when, for how long, and how it
 * ended. Target selection reads it to roll back only to versions that were stable.
 */
@NullMarked
package dev.rollback.core.release;

import org.jspecify.annotations.NullMarked;
