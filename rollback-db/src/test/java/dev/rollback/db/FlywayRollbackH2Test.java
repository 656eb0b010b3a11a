package dev.rollback.db;

import dev.rollback.core.Secret;
import java.util.UUID;

/** The Flyway rollback on H2, whose DDL commits at once: undo runs script by script. */
class FlywayRollbackH2Test extends FlywayRollbackContract {
  private final String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

  @Override
  String url() {
    return url;
  }

  @Override
  String user() {
    return "sa";
  }

  @Override
  Secret password() {
    return Secret.of("h2-test-password");
  }

  @Override
  boolean transactionalDdl() {
    return false;
  }
}
