/**
 * The run journal: an append-only, durable log of what a run did, from which a crashed run resumes.
 * {@link dev.rollback.core.journal.RunJournal} is the store SPI; core ships a folder of JSON-lines
 * files and an in-memory store.
 */
@NullMarked
package dev.rollback.core.journal;

import org.jspecify.annotations.NullMarked;
