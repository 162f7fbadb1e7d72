package io.kosmos.metrics.springai;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private final JavaClasses main =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.kosmos.metrics.springai");

  @Test
  void usesItsOwnSdkAndTheLlmModuleOnly() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "io.kosmos.metrics.springai..",
            "io.kosmos.metrics.llm..",
            "org.springframework..",
            "reactor..",
            "org.aopalliance..",
            "org.jspecify..",
            "io.micrometer..")
        .check(main);
  }
}
