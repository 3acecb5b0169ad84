package dev.svcaccounts.command.token;

import dev.svcaccounts.events.TokenScope;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer to a rotation: the new token as an issue answers it, its secret shown this once, and the token it
 * replaces with that one's expiry after the rotation (the end of the overlap).
 *
 * @param scope the cap per project key (role names as on the wire), null for its owner's full access
 */
public record RotatedToken(String id, String secret, String hint, String description, Instant expiresAt,
                           Map<String, String> scope, String rotatedFrom, Instant rotatedFromExpiresAt) {

    static RotatedToken of(NewToken.WithSecret issued, Rotation rotation) {
        NewToken token = issued.token();
        return new RotatedToken(token.tokenId(), issued.secret(), token.hint(), rotation.description(),
                rotation.expiresAt(), wire(rotation.scope()), rotation.rotatedFrom(), rotation.rotatedFromExpiresAt());
    }

    private static Map<String, String> wire(TokenScope scope) {
        if (scope == null) {
            return null;
        }
        Map<String, String> wire = new LinkedHashMap<>();
        scope.projects().forEach((key, role) -> wire.put(key, role.name().toLowerCase()));
        return wire;
    }
}
