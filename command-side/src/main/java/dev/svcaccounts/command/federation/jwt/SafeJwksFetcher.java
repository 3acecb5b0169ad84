package dev.svcaccounts.command.federation.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import dev.svcaccounts.command.federation.FederationSettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches an issuer's JWK set without letting the fetch reach what it should not: https only (unless
 * {@code FEDERATION_ALLOW_HTTP}), public addresses only (unless {@code FEDERATION_ALLOW_PRIVATE_ISSUERS}, see
 * {@link IssuerAddressGuard}), the connection made to the address checked, redirects not followed, timeouts of
 * {@code svcaccounts.federation.jwks-timeout} (3 s), at most {@link #MAX_BYTES}, and the answer must be a JWK set
 * (of which only public keys are kept). How long the set may be kept is its {@code Cache-Control: max-age}, within
 * {@link #MIN_MAX_AGE} and {@link #MAX_MAX_AGE}, {@link #DEFAULT_MAX_AGE} without one.
 */
@Component
public class SafeJwksFetcher {

    static final int MAX_BYTES = 256 * 1024;
    static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);
    static final Duration MIN_MAX_AGE = Duration.ofMinutes(1);
    static final Duration MAX_MAX_AGE = Duration.ofHours(24);

    private static final Pattern MAX_AGE = Pattern.compile("(?:^|[,\\s])max-age\\s*=\\s*\"?(\\d{1,12})\"?");

    /** A key set and how long it may be kept. */
    record Fetched(JWKSet keys, Duration maxAge) {
    }

    private final FederationSettings settings;
    private final IssuerAddressGuard guard;
    private final Duration timeout;

    public SafeJwksFetcher(FederationSettings settings,
                           @Value("${svcaccounts.federation.jwks-timeout:3s}") Duration timeout) {
        this.settings = settings;
        this.guard = new IssuerAddressGuard(settings.allowPrivateIssuers(), InetAddress::getAllByName, timeout);
        this.timeout = timeout;
    }

    Fetched fetch(String jwksUri) throws JwksFetchException {
        URI uri = checked(jwksUri);
        InetAddress address = guard.resolve(uri.getHost());
        HttpAnswer response;
        try {
            response = PinnedHttpGet.get(uri, address, timeout, MAX_BYTES);
        } catch (IOException e) {
            throw new JwksFetchException(problem(e));
        }
        if (response.status() >= 300 && response.status() < 400) {
            throw new JwksFetchException("it answered with a redirect (HTTP " + response.status()
                    + "), which is not followed");
        }
        if (response.status() != 200) {
            throw new JwksFetchException("it answered HTTP " + response.status());
        }
        try {
            JWKSet keys = JWKSet.parse(new String(response.body(), StandardCharsets.UTF_8)).toPublicJWKSet();
            return new Fetched(keys, maxAge(response.header("cache-control")));
        } catch (ParseException | RuntimeException e) {
            throw new JwksFetchException("its answer is not a JWK set");
        }
    }

    private URI checked(String jwksUri) throws JwksFetchException {
        URI uri;
        try {
            uri = new URI(jwksUri);
        } catch (URISyntaxException | NullPointerException e) {
            throw new JwksFetchException("its jwksUri is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && settings.allowHttp())) {
            throw new JwksFetchException("its jwksUri is not https, and http is refused unless"
                    + " FEDERATION_ALLOW_HTTP=true");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new JwksFetchException("its jwksUri has no host, or has user information");
        }
        return uri;
    }

    static Duration maxAge(String cacheControl) {
        if (cacheControl == null) {
            return DEFAULT_MAX_AGE;
        }
        String directives = cacheControl.toLowerCase(Locale.ROOT);
        if (directives.contains("no-store") || directives.contains("no-cache")) {
            return MIN_MAX_AGE;
        }
        Matcher maxAge = MAX_AGE.matcher(directives);
        if (!maxAge.find()) {
            return DEFAULT_MAX_AGE;
        }
        Duration asked = Duration.ofSeconds(Long.parseLong(maxAge.group(1)));
        return asked.compareTo(MIN_MAX_AGE) < 0 ? MIN_MAX_AGE : asked.compareTo(MAX_MAX_AGE) > 0 ? MAX_MAX_AGE : asked;
    }

    private String problem(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "timeout (no answer within " + timeout.toMillis() + " ms)";
        }
        if (e instanceof HttpAnswer.TooLargeException) {
            return "its answer is larger than " + MAX_BYTES / 1024 + " KiB";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to its host";
        }
        if (e instanceof SSLException) {
            return "the TLS handshake failed (its certificate is not trusted or does not name its host)";
        }
        return "the connection failed (" + e.getClass().getSimpleName() + ")";
    }
}
