import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * A throw-away OIDC issuer for trying keyless pipelines on one machine, with the JDK only:
 * {@code java scripts/DemoOidcToken.java <dir> [subject] [audience]}.
 * <p>
 * The first run makes an RSA key pair in {@code dir} ({@code key.der}, mode 600) and writes its public JWK set to
 * {@code dir/jwks.json}, to put inline in a federation rule. Every run prints a fresh RS256 JWT shaped like the
 * identity token of a GitHub Actions job without an environment (same claim names; its subject names the branch),
 * valid for five minutes, with a new {@code jti}. Its issuer is {@value #ISSUER}: not GitHub's, so it can never be
 * mistaken for a real job.
 */
public final class DemoOidcToken {

    static final String ISSUER = "https://demo-issuer.invalid";
    static final String KEY_ID = "demo-1";

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: java scripts/DemoOidcToken.java <dir> [subject] [audience]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        String subject = args.length > 1 ? args[1] : "repo:acme/train:ref:refs/heads/main";
        String audience = args.length > 2 ? args[2] : "svcaccounts";
        RSAPrivateCrtKey key = loadOrCreateKey(dir);
        System.out.println(jwt(key, subject, audience, Instant.now()));
    }

    private static RSAPrivateCrtKey loadOrCreateKey(Path dir) throws Exception {
        Path keyFile = dir.resolve("key.der");
        if (!Files.exists(keyFile)) {
            Files.createDirectories(dir);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.write(keyFile, pair.getPrivate().getEncoded());
            restrict(keyFile);
        }
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(keyFile)));
        Files.writeString(dir.resolve("jwks.json"), "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\","
                + "\"kid\":\"" + KEY_ID + "\",\"n\":\"" + unsigned(key.getModulus()) + "\",\"e\":\""
                + unsigned(key.getPublicExponent()) + "\"}]}\n");
        return key;
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX modes: the key is a throw-away one anyway
        }
    }

    static String jwt(RSAPrivateCrtKey key, String subject, String audience, Instant now) throws Exception {
        String repository = subject.startsWith("repo:") && subject.indexOf(':', 5) > 0
                ? subject.substring(5, subject.indexOf(':', 5)) : "acme/train";
        long iat = now.getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + KEY_ID + "\"}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + json(audience) + "\",\"sub\":\"" + json(subject)
                + "\",\"repository\":\"" + json(repository) + "\",\"repository_owner\":\""
                + json(repository.split("/")[0]) + "\",\"ref\":\"refs/heads/main\",\"ref_type\":\"branch\","
                + "\"workflow\":\"train\",\"event_name\":\"push\",\"run_id\":\""
                + (iat % 1_000_000_000L) + "\",\"run_attempt\":\"1\",\"jti\":\"" + UUID.randomUUID()
                + "\",\"iat\":" + iat + ",\"nbf\":" + iat + ",\"exp\":" + (iat + 300) + "}";
        String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claims.getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + base64Url(signature.sign());
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** A JWK's big integer: its unsigned big-endian bytes, base64url without padding. */
    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return base64Url(bytes);
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
