package dev.universerelay.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The game-independent domain and the wire protocol know no framework (docs/architecture.md,
 * "Packages"): they are tested alone and could move to another server unchanged.
 */
@AnalyzeClasses(packages = "dev.universerelay", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule domain_and_protocol_know_no_framework = noClasses()
            .that().resideInAnyPackage("dev.universerelay.universe..", "dev.universerelay.protocol..")
            .should().dependOnClassesThat().resideInAnyPackage("io.micronaut..", "io.netty..", "jakarta.inject..")
            .because("universe and protocol are framework-free (docs/architecture.md)");

    @ArchTest
    static final ArchRule the_domain_does_not_know_how_nodes_talk = noClasses()
            .that().resideInAnyPackage("dev.universerelay.universe..", "dev.universerelay.protocol..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.universerelay.cluster..", "io.lettuce..")
            .because("the universe defines the Cluster and Replication ports; package cluster implements them (docs/cluster.md)");
}
