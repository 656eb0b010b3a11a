package dev.rollback.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The rules of DESIGN.md and STYLE.md that a compiler cannot check. */
class ArchitectureTest {
  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.rollback.core");

  @Test
  void coreDependsOnNoPlatformModule() {
    noClasses().that().resideInAPackage("dev.rollback.core..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.rollback.k8s..", "dev.rollback.docker..", "dev.rollback.db..", "dev.rollback.traffic..",
            "dev.rollback.host..", "dev.rollback.testkit..", "dev.rollback.examples..",
            "io.fabric8..", "com.github.dockerjava..", "org.flywaydb..")
        .check(CORE);
  }

  @Test
  void mainCodeNeverPrintsToStandardStreams() {
    noClasses().should().accessField(System.class, "out")
        .orShould().accessField(System.class, "err")
        .because("library code logs through SLF4J or reports through the event API")
        .check(CORE);
  }

  @Test
  void mainCodeNeverSleepsOutsideTheSleeper() {
    noClasses().that().doNotHaveFullyQualifiedName("dev.rollback.core.Sleeper")
        .should().callMethod(Thread.class, "sleep", long.class)
        .orShould().callMethod(Thread.class, "sleep", long.class, int.class)
        .because("every wait goes through the run's Sleeper so tests can compress time and runs can be cancelled")
        .check(CORE);
  }

  @Test
  void theApiSubpackagesAreFreeOfCyclesApartFromFactoriesIntoInternal() {
    slices().matching("dev.rollback.core.(*)..").should().beFreeOfCycles()
        .ignoreDependency(
            com.tngtech.archunit.base.DescribedPredicate.describe("internal", c -> c.getPackageName().startsWith("dev.rollback.core.internal")),
            com.tngtech.archunit.base.DescribedPredicate.alwaysTrue())
        .check(CORE);
  }

  @Test
  void nothingOutsideCoreInternalsIsNamedImplHelperOrUtils() {
    noClasses().should().haveSimpleNameEndingWith("Impl")
        .orShould().haveSimpleNameEndingWith("Helper")
        .orShould().haveSimpleNameEndingWith("Utils")
        .check(CORE);
  }
}
