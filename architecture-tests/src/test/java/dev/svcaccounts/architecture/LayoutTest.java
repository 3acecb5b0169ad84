package dev.svcaccounts.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import java.util.Set;
import java.util.function.Predicate;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layout of the README ("Layout"), checked on the main classes of every product module: which side, module and
 * kind of class may use which. A failure names the class, the class it uses and the line.
 * <p>
 * Not here: "only the credentials module names the {@code command_side.auth_*} tables" is about SQL in strings, not
 * about classes; {@code OnlyCredentialsNamesAuthTablesTest} in the credentials module checks it.
 * <p>
 * Every rule also fails when the classes it is about are not found (ArchUnit's {@code failOnEmptyShould}), so a
 * renamed package cannot make it pass by checking nothing.
 */
@AnalyzeClasses(packages = "dev.svcaccounts", importOptions = ImportOption.DoNotIncludeTests.class)
class LayoutTest {

    private static final String EVENTS = "dev.svcaccounts.events..";
    private static final String REFUSALS = "dev.svcaccounts.refusals..";
    private static final String CREDENTIALS = "dev.svcaccounts.credentials..";
    private static final String INFRA = "dev.svcaccounts.infra..";
    private static final String COMMAND = "dev.svcaccounts.command..";
    private static final String QUERY = "dev.svcaccounts.query..";
    private static final String GENERATED_CLIENT = "dev.svcaccounts.client..";

    /** The Workspace aggregate: the dispatcher, the state it folds events into, what a rules class returns to it. */
    private static final DescribedPredicate<JavaClass> AGGREGATE = declaredIn(
            "are an aggregate (Workspace, WorkspaceState, Decision; IntrospectionClient)",
            type -> Set.of("Workspace", "WorkspaceState", "Decision").contains(type.getSimpleName())
                    && type.getPackageName().equals("dev.svcaccounts.command.workspace")
                    || type.getName().equals("dev.svcaccounts.command.introspectionclient.IntrospectionClient"));

    /** One rules class per feature: state and a command in, events or a refusal out. */
    private static final DescribedPredicate<JavaClass> RULES = declaredIn(
            "are a command-side rules class (*Rules)",
            type -> type.getPackageName().startsWith("dev.svcaccounts.command.")
                    && type.getSimpleName().endsWith("Rules"));

    /** The state the rules decide on. */
    private static final DescribedPredicate<JavaClass> STATE = declaredIn(
            "are command-side state (*State, Members, ServiceAccounts, Tokens, Projects)",
            type -> type.getPackageName().startsWith("dev.svcaccounts.command.")
                    && (type.getSimpleName().endsWith("State")
                    || Set.of("Members", "ServiceAccounts", "Tokens", "Projects").contains(type.getSimpleName())));

    private static final DescribedPredicate<JavaClass> WEB_JDBC_OR_INFRA = resideInAnyPackage(
            "org.springframework.web..", "jakarta.servlet..",
            "java.sql..", "javax.sql..", "org.springframework.jdbc..",
            INFRA)
            .as("are Spring web, servlets, JDBC or shared-infra");

    @ArchTest
    static final ArchRule commandSide_doesNotUseTheQuerySide = noClasses()
            .that().resideInAPackage(COMMAND)
            .should().dependOnClassesThat().resideInAPackage(QUERY)
            .because("the sides share events, refusals, credentials and shared-infra, never each other's code");

    @ArchTest
    static final ArchRule querySide_doesNotUseTheCommandSide = noClasses()
            .that().resideInAPackage(QUERY)
            .should().dependOnClassesThat().resideInAPackage(COMMAND)
            .because("the sides share events, refusals, credentials and shared-infra, never each other's code");

    @ArchTest
    static final ArchRule sharedInfra_usesNeitherSide = noClasses()
            .that().resideInAPackage(INFRA)
            .should().dependOnClassesThat().resideInAnyPackage(COMMAND, QUERY)
            .because("both applications run shared-infra; what only one side needs belongs to that side");

    @ArchTest
    static final ArchRule generatedClient_isMadeFromTheDocumentsAlone = noClasses()
            .that().resideInAPackage(GENERATED_CLIENT)
            .should().dependOnClassesThat().resideInAnyPackage(EVENTS, REFUSALS, CREDENTIALS, INFRA, COMMAND, QUERY)
            .because("generated-client is what a caller generates from docs/openapi/: only the contract");

    @ArchTest
    static final ArchRule theProduct_doesNotUseTheGeneratedClient = noClasses()
            .that().resideInAnyPackage(EVENTS, REFUSALS, CREDENTIALS, INFRA, COMMAND, QUERY)
            .should().dependOnClassesThat().resideInAPackage(GENERATED_CLIENT)
            .because("the generated client is for the product's callers and its system tests");

    @ArchTest
    static final ArchRule credentials_usesNeitherSideNorSharedInfra = noClasses()
            .that().resideInAPackage(CREDENTIALS)
            .should().dependOnClassesThat().resideInAnyPackage(COMMAND, QUERY, INFRA)
            .because("both sides and shared-infra's filters call the credentials module, never the other way");

    @ArchTest
    static final ArchRule aggregateRulesStateAndEvents_useNoWebJdbcOrInfra = noClasses()
            .that(AGGREGATE.or(RULES).or(STATE).or(resideInAPackage(EVENTS)))
            .should().dependOnClassesThat(WEB_JDBC_OR_INFRA)
            .because("the domain decides on state and commands; requests, SQL and plumbing stay outside it");

    @ArchTest
    static final ArchRule rulesAndState_useNoFramework = noClasses()
            .that(RULES.or(STATE))
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.axonframework..")
            .because("a rules class is plain Java: state and a command in, events or a refusal out; "
                    + "the Workspace aggregate alone meets Axon");

    @ArchTest
    static final ArchRule rulesAndState_useNoInfrastructure_evenThroughTheClassesTheyUse = noClasses()
            .that(RULES.or(STATE))
            .should().transitivelyDependOnClassesThat().resideInAnyPackage(
                    CREDENTIALS, INFRA, "org.springframework..", "java.sql..", "javax.sql..")
            .because("a value class the rules use (a username's shape, say) is part of the domain too");

    @ArchTest
    static final ArchRule sharedEvents_isFrameworkFree = classes()
            .that().resideInAPackage(EVENTS)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", EVENTS)
            .because("stored events are read back by every version of both sides: the JDK and the events only");

    @ArchTest
    static final ArchRule refusals_useTheJdkOnly = classes()
            .that().resideInAPackage(REFUSALS)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", REFUSALS)
            .because("the domain throws refusals; the web layer maps them, they know nothing of it");

    /**
     * Spring Security belongs to {@code interop-resource-server} (a resource server that is not ours, for
     * ResourceServerIT) alone: on the classpath of either application it would configure itself and guard every
     * endpoint a second time. Authentication here is {@code BearerTokenFilter} and the introspection endpoint's own.
     */
    @ArchTest
    static final ArchRule theApplications_useNoSpringSecurity = noClasses()
            .that().resideInAnyPackage(EVENTS, REFUSALS, CREDENTIALS, INFRA, COMMAND, QUERY)
            .should().dependOnClassesThat().resideInAPackage("org.springframework.security..")
            .because("Spring Security's auto-configuration would take over both applications' authentication");

    /** Nor is it on their classpath (this module's test classpath holds both applications' runtime dependencies). */
    @ArchTest
    static void springSecurity_isOnNeitherApplicationsClasspath(JavaClasses ignored) {
        try {
            Class.forName("org.springframework.security.core.Authentication");
        } catch (ClassNotFoundException expected) {
            return;
        }
        throw new AssertionError("Spring Security is on an application's classpath: it would configure itself");
    }

    /** Classes that {@code test} accepts, and the classes nested in them (records, anonymous classes). */
    private static DescribedPredicate<JavaClass> declaredIn(String description, Predicate<JavaClass> test) {
        return DescribedPredicate.describe(description, type -> test.test(outermost(type)));
    }

    private static JavaClass outermost(JavaClass type) {
        JavaClass outer = type;
        while (outer.getEnclosingClass().isPresent()) {
            outer = outer.getEnclosingClass().get();
        }
        return outer;
    }
}
