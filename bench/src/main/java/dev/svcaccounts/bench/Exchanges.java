package dev.svcaccounts.bench;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The {@code exchanges} phase (issue 16): {@code POST /v1/token}, an RFC 8693 token exchange of a freshly signed,
 * GitHub-shaped JWT for a short-lived service-account token.
 * <p>
 * Setup, per workspace: one RSA 2048 key pair made here (the JDK's {@link KeyPairGenerator}; its public JWK set
 * written by hand, as {@code scripts/DemoOidcToken.java} does), issuer {@code https://bench-issuer.invalid/<ws>}, and
 * one federation rule with that JWK set inline on each of {@link #accountsPerWorkspace} of the workspace's service
 * accounts (audience {@value #AUDIENCE}, subject {@code repo:bench/<ws>:ref:refs/heads/main}, claim
 * {@code repository}, {@code maxTokenLifetimeSeconds} {@value #LIFETIME_SECONDS}). Each request signs a new JWT (unique
 * {@code jti}, {@code iat}/{@code nbf} now, {@code exp} now + 300 s) for a random one of those accounts and names it in
 * {@code resource}, so that one rule is judged (the workspace's rules all trust its issuer: without {@code resource}
 * each would cost a signature check and the JWT would match several accounts). Success: 200 with an
 * {@code access_token}; anything else is an error. The signing is timed apart ({@code local.sign_jwt.*}), outside the
 * request's latency; its CPU is the load generator's.
 * <p>
 * Why several accounts: an account holds at most {@value #MAX_LIVE_EXCHANGED_TOKENS} working exchanged tokens
 * (FederationRules.MAX_LIVE_EXCHANGED_TOKENS), and an exchanged token works for the rule's lifetime (at least 60 s),
 * so one account refuses beyond about 1000 / 60 = 16 exchanges a second. The accounts are chosen so that even
 * {@value #ASSUMED_MAX_RATE} exchanges a second (a few hundred are expected on 2 cores) keep each account at half its
 * limit. Refused exchanges never happen by design; the endpoint's throttle of refusals per address
 * (TOKEN_EXCHANGE_REFUSAL_LIMIT) is left as configured, so a refusal would show as errors, then 429s.
 */
final class Exchanges {

    static final String AUDIENCE = "bench";
    static final int LIFETIME_SECONDS = 60;
    static final int JWT_SECONDS = 300;
    /** FederationRules.MAX_LIVE_EXCHANGED_TOKENS on the command side. */
    static final int MAX_LIVE_EXCHANGED_TOKENS = 1000;
    /** Exchanges a second the accounts are sized for, well above what 2 cores give. */
    static final int ASSUMED_MAX_RATE = 1000;

    private static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final String JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt";

    /** One account with a rule: whose key signs its JWTs, and what they claim. */
    record Target(String workspaceId, String accountId, String issuer, String kid, PrivateKey key) {

        String subject() {
            return "repo:bench/" + workspaceId + ":ref:refs/heads/main";
        }

        String repository() {
            return "bench/" + workspaceId;
        }
    }

    final List<Target> targets = new ArrayList<>();
    final int accountsPerWorkspace;

    private Exchanges(int accountsPerWorkspace) {
        this.accountsPerWorkspace = accountsPerWorkspace;
    }

    /**
     * The accounts needed so that {@link #ASSUMED_MAX_RATE} exchanges a second, spread evenly, keep each account at
     * half of {@link #MAX_LIVE_EXCHANGED_TOKENS}: rate x lifetime / (limit / 2).
     */
    static int accountsNeeded() {
        return (int) Math.ceil((double) ASSUMED_MAX_RATE * LIFETIME_SECONDS / (MAX_LIVE_EXCHANGED_TOKENS / 2.0));
    }

    /** Makes the keys and the rules, {@code parallel} workspaces at a time. */
    static Exchanges create(Http http, Workspaces workspaces, int parallel) throws Exception {
        int smallest = workspaces.all.stream().mapToInt(ws -> ws.accounts.size()).min().orElse(0);
        int perWorkspace = Math.min(smallest,
                Math.max(1, (accountsNeeded() + workspaces.all.size() - 1) / workspaces.all.size()));
        if (perWorkspace < 1) {
            throw new IllegalStateException("a workspace has no service account to put a federation rule on");
        }
        Exchanges made = new Exchanges(perWorkspace);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<List<Target>>> futures = new ArrayList<>();
            for (Workspaces.Workspace ws : workspaces.all) {
                futures.add(pool.submit(() -> rules(http, ws, perWorkspace)));
            }
            for (Future<List<Target>> f : futures) {
                made.targets.addAll(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        return made;
    }

    /** Exchanges a second at which the busiest account, with an even spread, reaches its limit. */
    double ceilingRate() {
        return (double) targets.size() * MAX_LIVE_EXCHANGED_TOKENS / LIFETIME_SECONDS;
    }

    private static List<Target> rules(Http http, Workspaces.Workspace ws, int count) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        RSAPublicKey publicKey = (RSAPublicKey) pair.getPublic();
        String kid = "bench-" + ws.id;
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("use", "sig");
        jwk.put("alg", "RS256");
        jwk.put("kid", kid);
        jwk.put("n", unsigned(publicKey.getModulus()));
        jwk.put("e", unsigned(publicKey.getPublicExponent()));
        String issuer = "https://bench-issuer.invalid/" + ws.id;
        List<Target> made = new ArrayList<>();
        for (int a = 0; a < count; a++) {
            Workspaces.Account account = ws.accounts.get(a);
            Target target = new Target(ws.id, account.id, issuer, kid, pair.getPrivate());
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("issuer", issuer);
            rule.put("jwks", Map.of("keys", List.of(jwk)));
            rule.put("audience", AUDIENCE);
            rule.put("subject", target.subject());
            rule.put("claims", Map.of("repository", target.repository()));
            rule.put("maxTokenLifetimeSeconds", LIFETIME_SECONDS);
            Workspaces.expect(http.command("POST", ws.path() + "/service-accounts/" + account.id
                    + "/federation-rules", ws.adminToken, rule), 201);
            made.add(target);
        }
        return made;
    }

    /** Client {@code i}: each step signs a new JWT for a random target and exchanges it. */
    Phase.Client client(Http http, int i) {
        SplittableRandom random = new SplittableRandom(4000 + i);
        Signature signature;
        try {
            signature = Signature.getInstance("SHA256withRSA");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return recorder -> {
            Target target = targets.get(random.nextInt(targets.size()));
            long signStart = System.nanoTime();
            String jwt = jwt(signature, target, System.currentTimeMillis() / 1000);
            recorder.recordLocal("sign_jwt", signStart, System.nanoTime());
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", GRANT_TYPE);
            form.put("subject_token", jwt);
            form.put("subject_token_type", JWT_TYPE);
            form.put("resource", target.workspaceId() + "/" + target.accountId());
            Http.Reply reply = http.exchange(form);
            recorder.record("exchange", reply, reply.status() == 200 && reply.body().contains("\"access_token\""));
        };
    }

    /** A JWT shaped like a GitHub Actions job's identity token (its claim names), as DemoOidcToken makes one. */
    static String jwt(Signature signature, Target target, long now) {
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + target.kid() + "\"}";
        String claims = "{\"iss\":\"" + target.issuer() + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\""
                + target.subject() + "\",\"repository\":\"" + target.repository() + "\",\"repository_owner\":\"bench\","
                + "\"ref\":\"refs/heads/main\",\"ref_type\":\"branch\",\"workflow\":\"bench\",\"event_name\":\"push\","
                + "\"run_id\":\"" + (now % 1_000_000_000L) + "\",\"run_attempt\":\"1\",\"jti\":\"" + UUID.randomUUID()
                + "\",\"iat\":" + now + ",\"nbf\":" + now + ",\"exp\":" + (now + JWT_SECONDS) + "}";
        String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claims.getBytes(StandardCharsets.UTF_8));
        try {
            signature.initSign(target.key());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JWK's big integer: its unsigned big-endian bytes, base64url without padding. */
    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return base64Url(bytes);
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
