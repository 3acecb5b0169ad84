package dev.svcaccounts.command.federation.exchange;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;

import java.util.Map;

/**
 * What a JWT that the verifier would not even parse (say, signed with {@code none} or HS256) claims to be: its
 * {@code iss}, {@code sub} and {@code jti} read from its payload without any trust, only so that its refusal is
 * recorded in the trail of the workspaces whose rules trust that issuer. Null parts when unreadable.
 */
record ClaimedIdentity(String issuer, String subject, String jwtId) {

    static final ClaimedIdentity NONE = new ClaimedIdentity(null, null, null);

    static ClaimedIdentity of(String compactJwt) {
        String[] parts = compactJwt.split("\\.", -1);
        if (parts.length != 3 || parts[1].length() > 16 * 1024) {
            return NONE;
        }
        try {
            Map<String, Object> claims = JSONObjectUtils.parse(new Base64URL(parts[1]).decodeToString());
            return new ClaimedIdentity(text(claims.get("iss")), text(claims.get("sub")), text(claims.get("jti")));
        } catch (java.text.ParseException | RuntimeException unreadable) {
            return NONE;
        }
    }

    private static String text(Object claim) {
        return claim instanceof String value ? value : null;
    }
}
