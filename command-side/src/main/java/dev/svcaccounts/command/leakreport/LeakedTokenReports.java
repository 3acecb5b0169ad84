package dev.svcaccounts.command.leakreport;

import dev.svcaccounts.command.common.CommandSender;
import dev.svcaccounts.command.token.RevokeLeakedTokensCommand;
import dev.svcaccounts.credentials.CredentialStore;
import dev.svcaccounts.credentials.LeakedTokens;
import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.TokenSecret;
import dev.svcaccounts.infra.web.AuditContext;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Carries out a leaked-token report. The credentials are recognised offline first: only a user's or a service
 * account's token with our prefix, length and checksum can be one of ours ({@link TokenSecret#isWellFormed}), so
 * anything else (garbage, a typo, an operator credential, an introspection client's secret) costs no query. The
 * well-formed ones are looked up by hash in one statement; the live ones are revoked by one command per owning
 * workspace, decided by its aggregate like every revocation, so each is refused on both sides when this returns
 * and appears in that workspace's trail as {@code token.revoked} with cause {@code leaked}.
 * <p>
 * No principal sent it: the events' metadata names the actor type {@value AuditMetadata#ANONYMOUS}, without id, name
 * or token, with the request id, the client's correlation id, address and user agent. A reason is not taken from an
 * anonymous caller.
 */
@Component
class LeakedTokenReports {

    private final LeakedTokens leakedTokens;
    private final CommandSender commands;

    LeakedTokenReports(LeakedTokens leakedTokens, CommandSender commands) {
        this.leakedTokens = leakedTokens;
        this.commands = commands;
    }

    void revoke(List<String> credentials, AuditContext audit) {
        Set<String> hashes = credentials.stream()
                .filter(CredentialStore::isPrincipalSecret)
                .map(TokenSecret::hash)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Map<String, List<String>> byWorkspace = leakedTokens.live(hashes).stream()
                .collect(Collectors.groupingBy(LeakedTokens.Found::workspaceId, LinkedHashMap::new,
                        Collectors.mapping(LeakedTokens.Found::tokenId, Collectors.toList())));
        Map<String, Object> metaData = metaData(audit);
        byWorkspace.forEach((workspaceId, tokenIds) ->
                commands.sendWithoutPrincipal(new RevokeLeakedTokensCommand(workspaceId, tokenIds), metaData));
    }

    private static Map<String, Object> metaData(AuditContext audit) {
        Map<String, Object> metaData = new HashMap<>();
        metaData.put(AuditMetadata.ACTOR_TYPE, AuditMetadata.ANONYMOUS);
        put(metaData, AuditMetadata.REQUEST_ID, audit.requestId());
        put(metaData, AuditMetadata.CORRELATION_ID, audit.correlationId());
        put(metaData, AuditMetadata.CLIENT_IP, audit.clientIp());
        put(metaData, AuditMetadata.USER_AGENT, audit.userAgent());
        return metaData;
    }

    private static void put(Map<String, Object> metaData, String key, String value) {
        if (value != null) {
            metaData.put(key, value);
        }
    }
}
