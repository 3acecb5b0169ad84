package dev.svcaccounts.command.federation.exchange;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;

import java.util.List;
import java.util.Map;

/**
 * What a refused JWT claims to be: its {@code iss}, {@code sub}, {@code jti} and {@code aud}, read from its payload
 * without any trust, only to decide in which workspaces' trails its refusal is recorded (those whose rules trust that
 * issuer and name its audience or its subject: {@link TokenExchanges}) and what the entry shows. Null parts (an
 * empty audience) when unreadable.
 */
record ClaimedIdentity(String issuer, String subject, String jwtId, List<String> audience) {

    static final ClaimedIdentity NONE = new ClaimedIdentity(null, null, null);

    ClaimedIdentity {
        audience = audience == null ? List.of() : List.copyOf(audience);
    }

    ClaimedIdentity(String issuer, String subject, String jwtId) {
        this(issuer, subject, jwtId, List.of());
    }

    static ClaimedIdentity of(String compactJwt) {
        String[] parts = compactJwt.split("\\.", -1);
        if (parts.length != 3 || parts[1].length() > 16 * 1024) {
            return NONE;
        }
        try {
            Map<String, Object> claims = JSONObjectUtils.parse(new Base64URL(parts[1]).decodeToString());
            return new ClaimedIdentity(text(claims.get("iss")), text(claims.get("sub")), text(claims.get("jti")),
                    audience(claims.get("aud")));
        } catch (java.text.ParseException | RuntimeException unreadable) {
            return NONE;
        }
    }

    /** A string or an array of strings, as RFC 7519 allows; anything else names no audience. */
    private static List<String> audience(Object claim) {
        if (claim instanceof String single) {
            return List.of(single);
        }
        if (claim instanceof List<?> many) {
            return many.stream().filter(String.class::isInstance).map(String.class::cast).limit(100).toList();
        }
        return List.of();
    }

    private static String text(Object claim) {
        return claim instanceof String value ? value : null;
    }
}
