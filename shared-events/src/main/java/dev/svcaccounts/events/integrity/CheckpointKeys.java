package dev.svcaccounts.events.integrity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log's Ed25519 signing key: generating one, its PEM files, its key id, signing and checking checkpoints. The key
 * file holds the PKCS#8 private key and the X.509 public key as two PEM blocks (the JDK cannot derive an Ed25519
 * public key from the private one); the public key alone, PEM, is what auditors are given.
 */
public final class CheckpointKeys {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    private CheckpointKeys(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.keyId = keyId(publicKey);
    }

    public static CheckpointKeys generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new CheckpointKeys(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK 17 has Ed25519", e);
        }
    }

    /** The key file's text: both PEM blocks. */
    public String keyFilePem() {
        return pem("PRIVATE KEY", privateKey.getEncoded()) + publicKeyPem();
    }

    /**
     * Reads a key file written by {@link #keyFilePem()}; checks the two keys belong together.
     *
     * @throws IllegalArgumentException naming what is wrong, never quoting the file
     */
    public static CheckpointKeys fromKeyFile(String text) {
        byte[] privateDer = null;
        byte[] publicDer = null;
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (m.group(1)) {
                case "PRIVATE KEY" -> privateDer = der;
                case "PUBLIC KEY" -> publicDer = der;
                default -> throw new IllegalArgumentException("unexpected PEM block " + m.group(1));
            }
        }
        if (privateDer == null || publicDer == null) {
            throw new IllegalArgumentException("the key file must hold a PRIVATE KEY and a PUBLIC KEY PEM block");
        }
        try {
            KeyFactory keys = KeyFactory.getInstance("Ed25519");
            CheckpointKeys loaded = new CheckpointKeys(keys.generatePrivate(new PKCS8EncodedKeySpec(privateDer)),
                    keys.generatePublic(new X509EncodedKeySpec(publicDer)));
            byte[] probe = "key pair check".getBytes(StandardCharsets.US_ASCII);
            if (!verify(loaded.publicKey, probe, loaded.sign(probe))) {
                throw new IllegalArgumentException("the key file's public key does not belong to its private key");
            }
            return loaded;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the key file does not hold Ed25519 keys");
        }
    }

    public static PublicKey publicKeyFromPem(String text) {
        Matcher m = PEM.matcher(text);
        if (!m.find() || !"PUBLIC KEY".equals(m.group(1))) {
            throw new IllegalArgumentException("not a PUBLIC KEY PEM block");
        }
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(2))));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
    }

    public String keyId() {
        return keyId;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public String publicKeyPem() {
        return pem("PUBLIC KEY", publicKey.getEncoded());
    }

    /** A checkpoint of the log at {@code treeSize} with {@code rootHash}, signed now ({@code issuedAt} in seconds). */
    public Checkpoint sign(long treeSize, byte[] rootHash, Instant issuedAt) {
        Instant seconds = Instant.ofEpochSecond(issuedAt.getEpochSecond());
        String text = Checkpoint.signedText(treeSize, rootHash, seconds, keyId);
        return new Checkpoint(treeSize, rootHash.clone(), seconds, keyId, sign(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether {@code checkpoint} is signed by {@code publicKey} and names its key id. */
    public static boolean verify(Checkpoint checkpoint, PublicKey publicKey) {
        return keyId(publicKey).equals(checkpoint.keyId())
                && verify(publicKey, checkpoint.signedBytes(), checkpoint.signature());
    }

    /** The first 16 hex digits of SHA-256 over the public key's X.509 (SubjectPublicKeyInfo) encoding. */
    public static String keyId(PublicKey publicKey) {
        try {
            return MerkleLog.hex(MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded())).substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private byte[] sign(byte[] data) {
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initSign(privateKey);
            ed25519.update(data);
            return ed25519.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign with the checkpoint key", e);
        }
    }

    private static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initVerify(key);
            ed25519.update(data);
            return ed25519.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
