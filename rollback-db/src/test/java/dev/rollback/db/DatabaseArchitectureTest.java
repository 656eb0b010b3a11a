package dev.rollback.db;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md's rules for all of rollback-db: core's API only (no core internals, no other platform
 * module), no standard streams, no {@code Thread.sleep}.
 */
class DatabaseArchitectureTest {
  private static final JavaClasses DB = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.rollback.db");

  @Test
  void dependsOnCoresApiOnly() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "dev.rollback.k8s..", "dev.rollback.docker..", "dev.rollback.host..", "dev.rollback.traffic..",
            "dev.rollback.testkit..", "dev.rollback.examples..", "dev.rollback.core.internal..")
        .check(DB);
  }

  @Test
  void neverPrintsToStandardStreamsOrSleeps() {
    noClasses().should().accessField(System.class, "out")
        .orShould().accessField(System.class, "err")
        .orShould().callMethod(Thread.class, "sleep", long.class)
        .check(DB);
  }
}
