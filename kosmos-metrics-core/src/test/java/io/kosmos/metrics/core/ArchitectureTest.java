package io.kosmos.metrics.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private final JavaClasses core =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.kosmos.metrics.core");

  @Test
  void coreDependsOnNoWebFrameworkAndNoLlmCode() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("jakarta..", "javax.servlet..", "io.vertx..", "io.kosmos.metrics.llm..")
        .check(core);
  }

  @Test
  void publicSignaturesOfTheApiPackageExposeNoInternalType() {
    codeUnits()
        .that()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .resideInAPackage("io.kosmos.metrics.core")
        .and()
        .areDeclaredInClassesThat()
        .arePublic()
        .should(
            new ArchCondition<JavaCodeUnit>("not mention io.kosmos.metrics.core.internal") {
              @Override
              public void check(JavaCodeUnit unit, ConditionEvents events) {
                List<JavaClass> types = new ArrayList<>(unit.getRawParameterTypes());
                types.add(unit.getRawReturnType());
                for (JavaClass type : types) {
                  if (type.getPackageName().equals("io.kosmos.metrics.core.internal")) {
                    events.add(SimpleConditionEvent.violated(unit, unit.getFullName()));
                  }
                }
              }
            })
        .because("users never need the internal package")
        .check(core);
  }
}
