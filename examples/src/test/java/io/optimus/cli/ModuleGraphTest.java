package io.optimus.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The module graph at class level (the root README draws it; maven-enforcer's module-edges execution
 * checks the same on resolved dependencies): every class uses only modules below its own, libraries
 * have no picocli and no cli package, one command package never imports another's, OpenXR/LWJGL only
 * in teleop-vr, DJL only in shared-perception and policy-training (never robot-bridge or below).
 * The CLI module (examples) sees the whole tree, so its classpath holds every module.
 */
class ModuleGraphTest {
  /** Each module's direct dependencies, as in its POM. */
  static final Map<String, List<String>> DEPENDS_ON = Map.ofEntries(
      Map.entry("proto", List.of()),
      Map.entry("common", List.of("proto")),
      Map.entry("robot-model", List.of("common")),
      Map.entry("episode-format", List.of("common")),
      Map.entry("bvh-import", List.of("robot-model", "episode-format")),
      Map.entry("lerobot-export", List.of("episode-format")),
      Map.entry("mqtt-client", List.of("common")),
      Map.entry("robot-bridge", List.of("robot-model", "episode-format", "mqtt-client")),
      Map.entry("dashboard", List.of("common")),
      Map.entry("operator", List.of("robot-model", "episode-format", "bvh-import", "mqtt-client")),
      Map.entry("teleop-vr", List.of("operator")),
      Map.entry("shared-perception", List.of("common")),
      Map.entry("policy-training", List.of("robot-bridge", "shared-perception", "operator")),
      Map.entry("examples", List.of("policy-training", "teleop-vr", "lerobot-export", "bvh-import", "dashboard")));

  static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.optimus");

  private static final Pattern BUILD_DIR = Pattern.compile("/([^/]+)/target/classes/");
  private static final Pattern BUILT_JAR = Pattern.compile("/([^/]+)/target/[^/!]+\\.jar!");
  private static final Pattern REPOSITORY_JAR = Pattern.compile("/io/optimus/([^/]+)/[^/]+/[^/]+\\.jar!");
  private static final Pattern COMMAND_PACKAGE = Pattern.compile("io\\.optimus\\.(.+)\\.cli(\\..*)?");

  /** The module a class was loaded from: its build directory or jar (reactor), or its jar in a repository. */
  static String module(JavaClass c) {
    String uri = c.getSource().map(s -> s.getUri().toString()).orElse("");
    for (Pattern p : new Pattern[] {BUILD_DIR, BUILT_JAR, REPOSITORY_JAR}) {
      Matcher m = p.matcher(uri);
      if (m.find()) {
        return m.group(1);
      }
    }
    return "unknown:" + uri;
  }

  static Set<String> below(String module) {
    Set<String> out = new LinkedHashSet<>();
    for (String d : DEPENDS_ON.getOrDefault(module, List.of())) {
      out.add(d);
      out.addAll(below(d));
    }
    return out;
  }

  static DescribedPredicate<JavaClass> inModules(String... modules) {
    Set<String> set = Set.of(modules);
    return DescribedPredicate.describe("are in module(s) " + set, c -> set.contains(module(c)));
  }

  static DescribedPredicate<JavaClass> notInModules(String... modules) {
    Set<String> set = Set.of(modules);
    return DescribedPredicate.describe("are outside module(s) " + set, c -> !set.contains(module(c)));
  }

  @Test
  void everyModuleIsKnownAndPresent() {
    Set<String> seen = new TreeSet<>();
    CLASSES.forEach(c -> seen.add(module(c)));
    assertEquals(new TreeSet<>(DEPENDS_ON.keySet()), seen, "modules on the CLI's classpath");
  }

  @Test
  void classesUseOnlyModulesBelowTheirOwn() {
    List<String> violations = new ArrayList<>();
    for (JavaClass c : CLASSES) {
      String from = module(c);
      Set<String> allowed = below(from);
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass target = d.getTargetClass().getBaseComponentType();
        if (!target.getPackageName().startsWith("io.optimus")) {
          continue;
        }
        String to = module(target);
        if (!to.equals(from) && !allowed.contains(to)) {
          violations.add(from + " -> " + to + ": " + d.getDescription());
        }
      }
    }
    assertTrue(violations.isEmpty(), "edges against the module graph:\n" + String.join("\n", violations));
  }

  @Test
  void onlyTheCliModuleHasPicocliOrCommandPackages() {
    noClasses().that(notInModules("examples"))
        .should().dependOnClassesThat().resideInAnyPackage("picocli..")
        .orShould().resideInAPackage("..cli..")
        .check(CLASSES);
  }

  @Test
  void noCommandPackageImportsAnothers() {
    List<String> violations = new ArrayList<>();
    for (JavaClass c : CLASSES) {
      Matcher from = COMMAND_PACKAGE.matcher(c.getPackageName());
      if (!from.matches()) {
        continue;
      }
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        Matcher to = COMMAND_PACKAGE.matcher(d.getTargetClass().getPackageName());
        if (to.matches() && !to.group(1).equals(from.group(1))) {
          violations.add(d.getDescription());
        }
      }
    }
    assertTrue(violations.isEmpty(), "command packages importing another's (share options through io.optimus.cli):\n"
        + String.join("\n", violations));
  }

  @Test
  void openXrAndLwjglStayInTeleopVr() {
    noClasses().that(notInModules("teleop-vr"))
        .should().dependOnClassesThat().resideInAnyPackage("org.lwjgl..")
        .check(CLASSES);
  }

  @Test
  void djlOnlyInPerceptionAndPolicies() {
    noClasses().that(notInModules("shared-perception", "policy-training", "examples"))
        .should().dependOnClassesThat().resideInAnyPackage("ai.djl..")
        .check(CLASSES);
  }

  @Test
  void theOperatorSideCarriesNoBroker() {
    noClasses().that(inModules("mqtt-client", "operator", "teleop-vr", "dashboard"))
        .should().dependOnClassesThat().resideInAnyPackage("com.hivemq..", "io.optimus.bridge.broker..")
        .check(CLASSES);
  }
}
