package dev.svcaccounts.infra.database;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.boot.autoconfigure.transaction.TransactionManagerCustomizers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/** How both applications use PostgreSQL beyond Spring Boot's defaults: see each bean. */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfiguration {

    /** Spring Boot's JDBC transaction manager, which tells a broken COMMIT apart. */
    @Bean
    public CommitAwareTransactionManager transactionManager(DataSource dataSource,
                                                            ObjectProvider<TransactionManagerCustomizers> customizers) {
        CommitAwareTransactionManager manager = new CommitAwareTransactionManager(dataSource);
        customizers.ifAvailable(c -> c.customize(manager));
        return manager;
    }

    /** A migration may run for as long as it needs: no socket timeout on Flyway's connections. */
    @Bean
    public FlywayConfigurationCustomizer migrationsWithoutSocketTimeout() {
        return configuration -> configuration.dataSource(
                LongStatements.withoutSocketTimeout(configuration.getDataSource()));
    }
}
