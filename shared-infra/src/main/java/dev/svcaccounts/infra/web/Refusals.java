package dev.svcaccounts.infra.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The refusals particular to one endpoint, for its OpenAPI operation: each {@code "<status> <problem-code>"}, such
 * as {@code "409 service-account-name-taken"}. {@link ApiConventions} turns them into problem responses grouped by
 * status and adds the refusals every endpoint of its kind can answer (authentication, input, throttles, database,
 * idempotent writes), so an endpoint names only its own (docs/api.md, the endpoint's "refusals" column).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Refusals {

    String[] value();
}
