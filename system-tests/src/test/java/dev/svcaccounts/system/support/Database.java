package dev.svcaccounts.system.support;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;

/** One PostgreSQL database the applications under test share: where it is and a way for tests to look inside. */
public record Database(String url, String user, String password) {

    public DataSource dataSource() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(url, user, password);
        dataSource.setDriverClassName("org.postgresql.Driver");
        return dataSource;
    }

    /** Plain SQL against the database, for what the HTTP API does not show (event store, credential tables). */
    public JdbcTemplate jdbc() {
        return new JdbcTemplate(dataSource());
    }
}
