package dev.rollback.core.journal;

/**
 * Appends to one run's journal. {@link #append} may buffer; {@link #flush()} returns only when
 * everything appended is durable (on disk, committed). The runner flushes before a step starts
 * touching anything and before it reports a step done, so it can group an entry that ends one step
 * with the one that starts the next into a single flush.
 *
 * @since 0.1.0
 */
public interface JournalWriter extends AutoCloseable {

  /**
   * Appends an entry.
   *
   * @param entry the entry; its {@code seq} is the next in this run
   * @throws dev.rollback.core.RollbackException with {@link dev.rollback.core.ErrorCode#JOURNAL_FAILURE}
   */
  void append(JournalEntry entry);

  /**
   * Makes every appended entry durable.
   *
   * @throws dev.rollback.core.RollbackException with {@link dev.rollback.core.ErrorCode#JOURNAL_FAILURE}
   */
  void flush();

  /** Flushes and releases the writer's resources. */
  @Override
  void close();
}
