package dev.rollback.k8s;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** DESIGN.md's dependency direction: a platform module depends on core's API only, never on another module. */
class KubernetesArchitectureTest {
  private static final JavaClasses K8S = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.rollback.k8s");

  @Test
  void dependsOnNoOtherPlatformModuleAndNotOnCoreInternals() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "dev.rollback.host..", "dev.rollback.docker..", "dev.rollback.db..", "dev.rollback.traffic..",
            "dev.rollback.testkit..", "dev.rollback.examples..", "dev.rollback.core.internal..")
        .check(K8S);
  }

  @Test
  void neverPrintsToStandardStreamsOrSleepsOutsideTheRunSleeper() {
    noClasses().should().accessField(System.class, "out")
        .orShould().accessField(System.class, "err")
        .orShould().callMethod(Thread.class, "sleep", long.class)
        .orShould().callMethod(Thread.class, "sleep", long.class, int.class)
        .orShould().callMethod(Thread.class, "sleep", java.time.Duration.class)
        .check(K8S);
  }

  @Test
  void thePublicApiKeepsFabric8ImplementationDetailsInternal() {
    noClasses().that().resideInAPackage("dev.rollback.k8s")
        .should().dependOnClassesThat().resideInAnyPackage("io.fabric8.kubernetes.client.dsl.internal..", "io.fabric8.kubernetes.client.impl..")
        .check(K8S);
  }
}
