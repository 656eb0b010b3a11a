package dev.rollback.db;

/** {@link JdbcReleaseLedgerContract} on H2. */
class JdbcReleaseLedgerH2Test extends JdbcReleaseLedgerContract {
  private static final ConnectionSource H2 = H2ConnectionSources.fresh();

  @Override
  ConnectionSource database() {
    return H2;
  }
}
