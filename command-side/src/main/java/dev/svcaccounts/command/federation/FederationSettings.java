package dev.svcaccounts.command.federation;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What the federation may reach. By default an issuer's keys are fetched over https only, from public addresses only
 * (no loopback, private, link-local or otherwise internal address: the JWKS fetch must not become a way to probe the
 * inside of our network). {@code FEDERATION_ALLOW_HTTP} and {@code FEDERATION_ALLOW_PRIVATE_ISSUERS} lift that, for
 * tests and air-gapped sites only.
 */
@Component
public class FederationSettings {

    private final boolean allowHttp;
    private final boolean allowPrivateIssuers;

    public FederationSettings(@Value("${svcaccounts.federation.allow-http:false}") boolean allowHttp,
                              @Value("${svcaccounts.federation.allow-private-issuers:false}")
                              boolean allowPrivateIssuers) {
        this.allowHttp = allowHttp;
        this.allowPrivateIssuers = allowPrivateIssuers;
    }

    /** Issuers and key sets at {@code http://} URLs are accepted (FEDERATION_ALLOW_HTTP=true). */
    public boolean allowHttp() {
        return allowHttp;
    }

    /** Keys are fetched from loopback, private and link-local addresses (FEDERATION_ALLOW_PRIVATE_ISSUERS=true). */
    public boolean allowPrivateIssuers() {
        return allowPrivateIssuers;
    }
}
