package dev.aigateway.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.aigateway.core.GatewayException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Only {@link GatewayException}'s factories pick an error's status, type and code: they are the rows of the error table
 * in docs/api.md, so a status chosen anywhere else is a row the table does not have. Tests may build any error.
 */
class ErrorFactoriesTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.aigateway");

    @Test
    void onlyGatewayExceptionCallsItsConstructors() {
        noClasses().that().doNotBelongToAnyOf(GatewayException.class)
                .should().callConstructor(GatewayException.class, int.class, String.class, String.class, String.class, String.class)
                .orShould().callConstructor(GatewayException.class, int.class, String.class, String.class, String.class, String.class, Map.class)
                .because("the factories of GatewayException are the error table's rows")
                .check(MAIN);
    }
}
