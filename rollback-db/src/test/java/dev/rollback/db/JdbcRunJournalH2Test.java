package dev.rollback.db;

/** {@link JdbcRunJournalContract} on H2. */
class JdbcRunJournalH2Test extends JdbcRunJournalContract {
  private static final ConnectionSource H2 = H2ConnectionSources.fresh();

  @Override
  ConnectionSource database() {
    return H2;
  }
}
