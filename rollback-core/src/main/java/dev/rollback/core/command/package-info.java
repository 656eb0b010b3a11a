/**
 * External commands the way a rollback must run them: without a shell, as an argument list, with a
 * timeout, and with their output captured (and truncated) for the journal and the report.
 */
@NullMarked
package dev.rollback.core.command;

import org.jspecify.annotations.NullMarked;
