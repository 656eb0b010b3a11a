package dev.rollback.db;

/** {@link JdbcTableLockContract} on H2. */
class JdbcTableLockH2Test extends JdbcTableLockContract {
  private static final ConnectionSource H2 = H2ConnectionSources.fresh();

  @Override
  ConnectionSource database() {
    return H2;
  }
}
