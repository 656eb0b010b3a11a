package dev.rollback.host;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** DESIGN.md's dependency direction: a platform module depends on core only, never on another. */
class HostArchitectureTest {
  private static final JavaClasses HOST = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.rollback.host");

  @Test
  void dependsOnNoOtherPlatformModuleAndNotOnCoreInternals() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "dev.rollback.k8s..", "dev.rollback.docker..", "dev.rollback.db..", "dev.rollback.traffic..",
            "dev.rollback.testkit..", "dev.rollback.examples..", "dev.rollback.core.internal..")
        .check(HOST);
  }

  @Test
  void neverPrintsToStandardStreamsOrSleepsOutsideTheRunSleeper() {
    noClasses().should().accessField(System.class, "out")
        .orShould().accessField(System.class, "err")
        .orShould().callMethod(Thread.class, "sleep", long.class)
        .check(HOST);
  }
}
