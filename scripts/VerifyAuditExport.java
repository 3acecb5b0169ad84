import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks an audit export with proofs, offline, with the JDK alone (Java 17 or newer, no dependencies):
 * <pre>
 * java scripts/VerifyAuditExport.java export.ndjson checkpoint.json public-key.pem
 * java scripts/VerifyAuditExport.java --consistency old-checkpoint.json new-checkpoint.json consistency.json \
 *     public-key.pem
 * </pre>
 * The first mode checks the checkpoint's Ed25519 signature with the pinned public key, then every line of the export:
 * its event (the stored row the proof carries) hashes to the leaf (the canonical bytes of
 * dev.svcaccounts.events.integrity.StoredEvent, version 1), the entry's eventId and occurredAt are the event's, and the
 * leaf's RFC 9162 inclusion path leads to the checkpoint's root. The second checks both checkpoints' signatures and an
 * RFC 9162 consistency proof from the older to the newer (GET /v1/audit/consistency). Exit 0: all holds; 1: something
 * does not (the first failing line and what failed); 2: the command or an input file is unusable. docs/audit-integrity.md
 * tells what a pass proves.
 */
public final class VerifyAuditExport {

    static final String HEADER = "svcaccounts audit checkpoint v1";
    static final int HASH_LENGTH = 32;

    /** The input is unusable: exit 2. */
    static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }

    /** Something does not verify: exit 1. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    record Checkpoint(long treeSize, byte[] rootHash, String issuedAt, String keyId, byte[] signature) {
        String describe() {
            return "tree size " + treeSize + ", root " + b64(rootHash) + ", key id " + keyId + ", issued at "
                    + issuedAt;
        }
    }

    public static void main(String[] args) {
        try {
            if (args.length == 3 && !args[0].startsWith("--")) {
                System.out.println(verifyExport(Path.of(args[0]), Path.of(args[1]), Path.of(args[2])));
            } else if (args.length == 5 && args[0].equals("--consistency")) {
                System.out.println(verifyConsistency(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]),
                        Path.of(args[4])));
            } else {
                throw new UsageError("usage:\n  java scripts/VerifyAuditExport.java export.ndjson checkpoint.json "
                        + "public-key.pem\n  java scripts/VerifyAuditExport.java --consistency old-checkpoint.json "
                        + "new-checkpoint.json consistency.json public-key.pem");
            }
            System.exit(0);
        } catch (Failure e) {
            System.err.println("FAILED: " + e.getMessage());
            System.exit(1);
        } catch (UsageError | Json.Malformed e) {
            System.err.println("ERROR: " + e.getMessage());
            System.exit(2);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            System.err.println("ERROR: unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(2);
        }
    }

    static String verifyExport(Path export, Path checkpointFile, Path keyFile) {
        PublicKey key = publicKey(keyFile);
        Checkpoint checkpoint = checkpoint(checkpointFile, "the checkpoint");
        checkSigned(checkpoint, key, "the checkpoint");
        long entries = 0;
        long previousLeaf = -1;
        try (BufferedReader lines = Files.newBufferedReader(export, StandardCharsets.UTF_8)) {
            int number = 0;
            String line;
            while (true) {
                try {
                    line = lines.readLine();
                } catch (CharacterCodingException e) {
                    throw new Failure("line " + (number + 1) + ": not UTF-8");
                }
                if (line == null) {
                    break;
                }
                number++;
                if (line.isBlank()) {
                    continue;
                }
                previousLeaf = verifyEntry(number, line, checkpoint, previousLeaf);
                entries++;
            }
        } catch (IOException e) {
            throw new UsageError(cannotRead(export, e));
        }
        return "OK: " + entries + " entr" + (entries == 1 ? "y" : "ies") + " of " + export.getFileName()
                + " are in the log of the checkpoint (" + checkpoint.describe() + "), signed by the pinned key";
    }

    /** One line: the leaf index of its entry. */
    static long verifyEntry(int number, String line, Checkpoint checkpoint, long previousLeaf) {
        Map<String, Object> entry;
        String eventId = "?";
        try {
            entry = Json.object(Json.parse(line), "the entry");
            eventId = String.valueOf(entry.get("eventId"));
            String at = "line " + number + " (eventId " + eventId + "): ";
            Object proofValue = entry.get("proof");
            if (proofValue == null) {
                throw new Failure(at + "the entry has no proof (was the export asked with proofs=true?)");
            }
            Map<String, Object> proof = Json.object(proofValue, "proof");
            long treeSize = Json.integer(proof, "treeSize");
            if (treeSize != checkpoint.treeSize()) {
                throw new Failure(at + "the proof is for tree size " + treeSize + ", the checkpoint's is "
                        + checkpoint.treeSize());
            }
            long leafIndex = Json.integer(proof, "leafIndex");
            if (leafIndex < 0 || leafIndex >= treeSize) {
                throw new Failure(at + "leaf index " + leafIndex + " is not in a tree of " + treeSize);
            }
            if (leafIndex <= previousLeaf) {
                throw new Failure(at + "leaf index " + leafIndex + " does not follow the previous entry's ("
                        + previousLeaf + "): an entry is repeated or out of order");
            }
            byte[] leafHash = hash(Json.string(proof, "leafHash", false), "proof.leafHash");
            List<byte[]> path = new ArrayList<>();
            for (Object element : Json.array(proof, "inclusionPath")) {
                if (!(element instanceof String text)) {
                    throw new UsageError("proof.inclusionPath must hold Base64 strings");
                }
                path.add(hash(text, "proof.inclusionPath"));
            }
            if (proof.get("event") == null) {
                throw new Failure(at + "the event is gone from the store (proof.event is null): deleted after it "
                        + "entered the log");
            }
            Map<String, Object> event = Json.object(proof.get("event"), "proof.event");
            if (!MessageDigest.isEqual(leafHash(canonicalBytes(event)), leafHash)) {
                throw new Failure(at + "the leaf hash does not match the event: the stored event was changed after "
                        + "it entered the log");
            }
            String entryId = Json.string(entry, "eventId", false);
            if (!entryId.equals(Json.string(event, "eventId", false))) {
                throw new Failure(at + "the entry's fields differ from the event: eventId " + entryId + " vs "
                        + event.get("eventId"));
            }
            if (!sameMicrosecond(Json.string(entry, "occurredAt", false), Json.string(event, "timestamp", true))) {
                throw new Failure(at + "the entry's fields differ from the event: occurredAt "
                        + entry.get("occurredAt") + " vs the event's timestamp " + event.get("timestamp"));
            }
            String differs = metadataDifference(entry, event);
            if (differs != null) {
                throw new Failure(at + "the entry's fields differ from the event: " + differs);
            }
            if (!verifyInclusion(leafIndex, treeSize, leafHash, path, checkpoint.rootHash())) {
                throw new Failure(at + "the inclusion path does not lead to the checkpoint's root");
            }
            return leafIndex;
        } catch (UsageError | Json.Malformed e) {
            throw new Failure("line " + number + " (eventId " + eventId + "): not an entry with a proof: "
                    + e.getMessage());
        }
    }

    /** The entry's fields the audit trail takes from the event's metadata, and the metadata's keys. */
    static final String[][] FROM_METADATA = {{"actor.type", "actorType"}, {"actor.id", "actorId"},
        {"actor.name", "actorName"}, {"tokenId", "actorTokenId"}, {"requestId", "requestId"},
        {"correlationId", "clientCorrelationId"}, {"clientIp", "clientIp"}, {"userAgent", "userAgent"},
        {"reason", "reason"}};

    /**
     * Which of the entry's fields (who acted, with which token, from where, why) differs from the event's metadata, or
     * null. Compared when the metadata is a JSON object and the entry has the field; the actor's type is the metadata's
     * in lower case, as the trail shows it.
     */
    static String metadataDifference(Map<String, Object> entry, Map<String, Object> event) {
        String metadata = Json.string(event, "metadata", true);
        Object parsed;
        try {
            parsed = metadata == null ? null : Json.parse(new String(base64(metadata, "proof.event.metadata"),
                    StandardCharsets.UTF_8));
        } catch (Json.Malformed e) {
            return null;
        }
        if (!(parsed instanceof Map<?, ?> meta)) {
            return null;
        }
        for (String[] field : FROM_METADATA) {
            String[] path = field[0].split("\\.");
            Object shown = entry;
            boolean present = true;
            for (String name : path) {
                if (shown instanceof Map<?, ?> object && object.containsKey(name)) {
                    shown = object.get(name);
                } else if (shown == null && path.length > 1) {
                    shown = null; // no actor at all: none of its fields
                } else {
                    present = false;
                }
            }
            Object stored = meta.get(field[1]);
            if (!present || (stored != null && !(stored instanceof String))) {
                continue;
            }
            String expected = stored == null ? null
                    : field[1].equals("actorType") ? ((String) stored).toLowerCase(java.util.Locale.ROOT)
                    : (String) stored;
            if (!java.util.Objects.equals(shown, expected)) {
                return field[0] + " " + quoted(shown) + " vs the event's " + field[1] + " " + quoted(stored);
            }
        }
        return null;
    }

    private static String quoted(Object value) {
        return value instanceof String text ? '"' + text + '"' : String.valueOf(value);
    }

    static String verifyConsistency(Path oldFile, Path newFile, Path proofFile, Path keyFile) {
        PublicKey key = publicKey(keyFile);
        Checkpoint older = checkpoint(oldFile, "the old checkpoint");
        Checkpoint newer = checkpoint(newFile, "the new checkpoint");
        checkSigned(older, key, "the old checkpoint");
        checkSigned(newer, key, "the new checkpoint");
        Map<String, Object> json;
        long from;
        long to;
        try {
            json = Json.object(Json.parse(read(proofFile)), "the consistency proof");
            from = Json.integer(json, "fromTreeSize");
            to = Json.integer(json, "toTreeSize");
            Json.array(json, "proof");
        } catch (Json.Malformed e) {
            throw new UsageError("the consistency proof (" + proofFile + "): " + e.getMessage());
        }
        if (from != older.treeSize() || to != newer.treeSize()) {
            throw new Failure("the consistency proof is from " + from + " to " + to + ", the checkpoints' sizes are "
                    + older.treeSize() + " and " + newer.treeSize());
        }
        List<byte[]> proof = new ArrayList<>();
        for (Object element : Json.array(json, "proof")) {
            if (!(element instanceof String text)) {
                throw new UsageError("proof must hold Base64 strings");
            }
            proof.add(hash(text, "proof"));
        }
        if (!verifyConsistency(from, to, older.rootHash(), newer.rootHash(), proof)) {
            throw new Failure("the consistency proof does not show the log of the old checkpoint (" + older.describe()
                    + ") is a prefix of the new one's (" + newer.describe() + ")");
        }
        return "OK: the log of the old checkpoint (" + older.describe() + ") is a prefix of the new one's ("
                + newer.describe() + "); both signed by the pinned key";
    }

    // ---- inputs

    static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageError(cannotRead(file, e));
        }
    }

    static String cannotRead(Path file, IOException e) {
        return "cannot read " + file + (e instanceof java.nio.file.NoSuchFileException ? ": no such file"
                : ": " + e.getClass().getSimpleName() + " " + e.getMessage());
    }

    static PublicKey publicKey(Path file) {
        Matcher pem = Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----")
                .matcher(read(file));
        if (!pem.find()) {
            throw new UsageError(file + " holds no PUBLIC KEY PEM block");
        }
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(pem.group(1))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new UsageError(file + " holds no Ed25519 public key");
        }
    }

    static Checkpoint checkpoint(Path file, String name) {
        try {
            Map<String, Object> json = Json.object(Json.parse(read(file)), name);
            long treeSize = Json.integer(json, "treeSize");
            String issuedAt = Json.string(json, "issuedAt", false);
            try {
                Instant at = Instant.parse(issuedAt);
                if (at.getNano() != 0 || !at.toString().equals(issuedAt)) {
                    throw new UsageError(name + ": issuedAt must be an instant in whole seconds like "
                            + "2026-12-07T10:15:30Z");
                }
            } catch (DateTimeParseException e) {
                throw new UsageError(name + ": issuedAt is not an instant");
            }
            byte[] signature = base64(Json.string(json, "signature", false), "signature");
            return new Checkpoint(treeSize, hash(Json.string(json, "rootHash", false), "rootHash"), issuedAt,
                    Json.string(json, "keyId", false), signature);
        } catch (Json.Malformed e) {
            throw new UsageError(name + " (" + file + "): " + e.getMessage());
        } catch (UsageError e) {
            throw new UsageError(e.getMessage().startsWith(name) ? e.getMessage() : name + ": " + e.getMessage());
        }
    }

    static void checkSigned(Checkpoint checkpoint, PublicKey key, String name) {
        String pinned = keyId(key);
        if (!pinned.equals(checkpoint.keyId())) {
            throw new Failure(name + "'s key id " + checkpoint.keyId() + " differs from the pinned key's, " + pinned);
        }
        String text = HEADER + "\n" + "tree_size " + checkpoint.treeSize() + "\n" + "root_hash "
                + b64(checkpoint.rootHash()) + "\n" + "issued_at " + checkpoint.issuedAt() + "\n" + "key_id "
                + checkpoint.keyId() + "\n";
        boolean valid;
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initVerify(key);
            ed25519.update(text.getBytes(StandardCharsets.UTF_8));
            valid = ed25519.verify(checkpoint.signature());
        } catch (GeneralSecurityException e) {
            valid = false;
        }
        if (!valid) {
            throw new Failure("bad checkpoint signature: " + name + " (" + checkpoint.describe()
                    + ") is not signed by the pinned key");
        }
    }

    static String keyId(PublicKey key) {
        StringBuilder hex = new StringBuilder();
        for (byte b : sha256(key.getEncoded())) {
            hex.append(String.format("%02x", b));
        }
        return hex.substring(0, 16);
    }

    static byte[] hash(String text, String field) {
        byte[] hash = base64(text, field);
        if (hash.length != HASH_LENGTH) {
            throw new UsageError(field + " must be a 32-byte hash in Base64");
        }
        return hash;
    }

    static byte[] base64(String text, String field) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new UsageError(field + " is not Base64");
        }
    }

    static boolean sameMicrosecond(String occurredAt, String timestamp) {
        try {
            Duration apart = Duration.between(Instant.parse(occurredAt), Instant.parse(timestamp)).abs();
            return apart.compareTo(Duration.ofNanos(1_000)) < 0;
        } catch (DateTimeParseException | NullPointerException e) {
            return false;
        }
    }

    // ---- the leaf: StoredEvent's canonical bytes, version 1

    static byte[] canonicalBytes(Map<String, Object> event) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0x01);
        field(out, text(Json.string(event, "eventId", true)));
        field(out, text(Json.string(event, "aggregateId", true)));
        field(out, text(Long.toString(Json.integer(event, "sequenceNumber"))));
        field(out, text(Json.string(event, "aggregateType", true)));
        field(out, text(Json.string(event, "payloadType", true)));
        field(out, text(Json.string(event, "payloadRevision", true)));
        field(out, text(Json.string(event, "timestamp", true)));
        String payload = Json.string(event, "payload", true);
        String metadata = Json.string(event, "metadata", true);
        field(out, payload == null ? null : base64(payload, "proof.event.payload"));
        field(out, metadata == null ? null : base64(metadata, "proof.event.metadata"));
        return out.toByteArray();
    }

    private static byte[] text(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    private static void field(java.io.ByteArrayOutputStream out, byte[] value) {
        int length = value == null ? -1 : value.length;
        out.write(length >>> 24);
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        if (value != null) {
            out.write(value, 0, value.length);
        }
    }

    // ---- RFC 9162 hashing and proof checks

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static byte[] leafHash(byte[] data) {
        return sha256(new byte[] {0x00}, data);
    }

    static byte[] nodeHash(byte[] left, byte[] right) {
        return sha256(new byte[] {0x01}, left, right);
    }

    /** RFC 9162 section 2.1.3.2. */
    static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= size) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    /** RFC 9162 section 2.1.4.2. */
    static boolean verifyConsistency(long first, long second, byte[] firstRoot, byte[] secondRoot,
                                     List<byte[]> proof) {
        if (first < 1 || first > second) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && MessageDigest.isEqual(firstRoot, secondRoot);
        }
        if (proof.isEmpty()) {
            return false;
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(first) == 1) {
            path.add(0, firstRoot);
        }
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, firstRoot) && MessageDigest.isEqual(sr, secondRoot);
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * A strict JSON reader (RFC 8259): objects (duplicate names refused) as maps, arrays as lists, strings, numbers
     * as BigDecimal, true, false, null; nothing may follow the value but whitespace; nesting at most 64 deep.
     */
    static final class Json {

        static final class Malformed extends RuntimeException {
            Malformed(String message) {
                super(message);
            }
        }

        private static final int MAX_DEPTH = 64;
        private final String text;
        private int at;

        private Json(String text) {
            this.text = text;
        }

        static Object parse(String text) {
            Json json = new Json(text);
            json.space();
            Object value = json.value(0);
            json.space();
            if (json.at != text.length()) {
                throw json.malformed("unexpected text after the JSON value");
            }
            return value;
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> object(Object value, String name) {
            if (!(value instanceof Map)) {
                throw new Malformed(name + " must be a JSON object");
            }
            return (Map<String, Object>) value;
        }

        static String string(Map<String, Object> object, String name, boolean nullable) {
            if (!object.containsKey(name)) {
                throw new Malformed("missing field '" + name + "'");
            }
            Object value = object.get(name);
            if (value == null && nullable) {
                return null;
            }
            if (!(value instanceof String text)) {
                throw new Malformed("field '" + name + "' must be a string" + (nullable ? " or null" : ""));
            }
            return text;
        }

        static long integer(Map<String, Object> object, String name) {
            if (!(object.get(name) instanceof BigDecimal number)) {
                throw new Malformed(object.containsKey(name) ? "field '" + name + "' must be a number"
                        : "missing field '" + name + "'");
            }
            try {
                return number.longValueExact();
            } catch (ArithmeticException e) {
                throw new Malformed("field '" + name + "' must be a whole number");
            }
        }

        @SuppressWarnings("unchecked")
        static List<Object> array(Map<String, Object> object, String name) {
            if (!(object.get(name) instanceof List)) {
                throw new Malformed(object.containsKey(name) ? "field '" + name + "' must be an array"
                        : "missing field '" + name + "'");
            }
            return (List<Object>) object.get(name);
        }

        private Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw malformed("nested too deep");
            }
            if (at >= text.length()) {
                throw malformed("unexpected end");
            }
            char c = text.charAt(at);
            switch (c) {
                case '{':
                    return object(depth);
                case '[':
                    return array(depth);
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw malformed("unexpected character '" + c + "'");
            }
        }

        private Map<String, Object> object(int depth) {
            Map<String, Object> object = new LinkedHashMap<>();
            at++;
            space();
            if (peek() == '}') {
                at++;
                return object;
            }
            while (true) {
                space();
                if (peek() != '"') {
                    throw malformed("expected a field name");
                }
                String name = string();
                space();
                expect(':');
                space();
                if (object.containsKey(name)) {
                    throw malformed("field '" + name + "' appears twice");
                }
                object.put(name, value(depth + 1));
                space();
                if (peek() == ',') {
                    at++;
                } else {
                    expect('}');
                    return object;
                }
            }
        }

        private List<Object> array(int depth) {
            List<Object> array = new ArrayList<>();
            at++;
            space();
            if (peek() == ']') {
                at++;
                return array;
            }
            while (true) {
                space();
                array.add(value(depth + 1));
                space();
                if (peek() == ',') {
                    at++;
                } else {
                    expect(']');
                    return array;
                }
            }
        }

        private String string() {
            at++;
            StringBuilder out = new StringBuilder();
            while (true) {
                if (at >= text.length()) {
                    throw malformed("unterminated string");
                }
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw malformed("control character in a string");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (at >= text.length()) {
                    throw malformed("unterminated string");
                }
                char e = text.charAt(at++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (at + 4 > text.length() || !text.substring(at, at + 4).matches("[0-9A-Fa-f]{4}")) {
                            throw malformed("bad \\u escape");
                        }
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> throw malformed("bad escape \\" + e);
                }
            }
        }

        private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

        private BigDecimal number() {
            Matcher m = NUMBER.matcher(text).region(at, text.length());
            if (!m.lookingAt()) {
                throw malformed("bad number");
            }
            at = m.end();
            try {
                return new BigDecimal(m.group());
            } catch (NumberFormatException e) {
                throw malformed("bad number");
            }
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, at)) {
                throw malformed("unexpected text");
            }
            at += word.length();
            return value;
        }

        private char peek() {
            if (at >= text.length()) {
                throw malformed("unexpected end");
            }
            return text.charAt(at);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw malformed("expected '" + c + "'");
            }
            at++;
        }

        private void space() {
            while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
        }

        private Malformed malformed(String what) {
            return new Malformed("malformed JSON at character " + (at + 1) + ": " + what);
        }
    }

    static {
        // a JDK older than 15 has no Ed25519: say so rather than fail on the first checkpoint
        try {
            KeyFactory.getInstance("Ed25519");
        } catch (GeneralSecurityException e) {
            System.err.println("ERROR: this JDK has no Ed25519; use Java 17 or newer");
            System.exit(2);
        }
    }

    private VerifyAuditExport() {
    }
}
