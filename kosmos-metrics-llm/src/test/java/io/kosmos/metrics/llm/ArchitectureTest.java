package io.kosmos.metrics.llm;

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

  private final JavaClasses llm =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.kosmos.metrics.llm");

  @Test
  void theLlmModuleDependsOnNoWebFramework() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("jakarta..", "javax.servlet..", "io.vertx..")
        .check(llm);
  }

  @Test
  void theLlmModuleKnowsNoSdkSoThatNoSdkVersionCanBreakIt() {
    // Provider conventions and error classification work on numbers, class names and messages;
    // each SDK is the dependency of its own integration module only.
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "com.openai..",
            "com.anthropic..",
            "dev.langchain4j..",
            "org.springframework..",
            "okhttp3..",
            "kotlin..")
        .check(llm);
  }

  @Test
  void publicSignaturesExposeNoInternalType() {
    codeUnits()
        .that()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .arePublic()
        .should(
            new ArchCondition<JavaCodeUnit>("not mention core.internal or Jackson") {
              @Override
              public void check(JavaCodeUnit unit, ConditionEvents events) {
                List<JavaClass> types = new ArrayList<>(unit.getRawParameterTypes());
                types.add(unit.getRawReturnType());
                for (JavaClass type : types) {
                  String pkg = type.getPackageName();
                  if (pkg.equals("io.kosmos.metrics.core.internal")
                      || pkg.startsWith("com.fasterxml.jackson")) {
                    events.add(SimpleConditionEvent.violated(unit, unit.getFullName()));
                  }
                }
              }
            })
        .because("users configure the LLM module through its own types and core's API")
        .check(llm);
  }
}
