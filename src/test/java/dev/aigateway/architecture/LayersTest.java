package dev.aigateway.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering docs/architecture.md draws, held on the compiled classes: each layer uses only layers below it, and no
 * two top-level packages depend on each other (directly or around a loop). A new arrow pointing up fails the build,
 * naming the classes on both ends.
 */
class LayersTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.aigateway");

    @Test
    void noCyclesBetweenTopLevelPackages() {
        slices().matching("dev.aigateway.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void layersPointDown() {
        Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("cli").definedBy("dev.aigateway.cli..")
                .layer("server").definedBy("dev.aigateway.server..")
                .layer("governance").definedBy("dev.aigateway.governance..")
                .layer("models").definedBy("dev.aigateway.models..")
                .layer("logging").definedBy("dev.aigateway.logging..")
                .layer("config").definedBy("dev.aigateway.config..")
                .layer("db").definedBy("dev.aigateway.db..")
                .layer("cluster").definedBy("dev.aigateway.cluster..")
                .layer("router").definedBy("dev.aigateway.router..")
                .layer("provider").definedBy("dev.aigateway.provider..")
                .layer("pricing").definedBy("dev.aigateway.pricing..")
                .layer("core").definedBy("dev.aigateway.core..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("server").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("governance").mayOnlyBeAccessedByLayers("server", "cli")
                .whereLayer("models").mayOnlyBeAccessedByLayers("server", "cli")
                .whereLayer("logging").mayOnlyBeAccessedByLayers("server", "cli")
                .whereLayer("config").mayOnlyBeAccessedByLayers("logging", "models", "governance", "server", "cli")
                .whereLayer("db").mayOnlyBeAccessedByLayers("config", "logging", "models", "governance", "server", "cli")
                .whereLayer("cluster").mayOnlyBeAccessedByLayers("config", "logging", "models", "governance", "server", "cli")
                .whereLayer("router").mayOnlyBeAccessedByLayers("db", "cluster", "config", "logging", "models", "governance", "server", "cli")
                .whereLayer("provider").mayOnlyBeAccessedByLayers("router", "db", "cluster", "config", "logging", "models", "governance", "server", "cli")
                .whereLayer("pricing").mayOnlyBeAccessedByLayers("provider", "router", "db", "cluster", "config", "logging", "models", "governance", "server", "cli")
                .check(MAIN);
    }

    @Test
    void everyTopLevelPackageIsALayer() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes().should()
                .resideInAnyPackage("dev.aigateway.cli..", "dev.aigateway.server..", "dev.aigateway.governance..",
                        "dev.aigateway.models..", "dev.aigateway.logging..", "dev.aigateway.config..", "dev.aigateway.db..",
                        "dev.aigateway.cluster..", "dev.aigateway.router..", "dev.aigateway.provider..",
                        "dev.aigateway.pricing..", "dev.aigateway.core..")
                .as("every class lives in one of the layers LayersTest names (add a new package there, in its place)")
                .check(MAIN);
    }
}
