package io.purifier.server.store;

import io.purifier.server.auth.Role;
import io.purifier.server.auth.User;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** Users and bearer tokens. Tokens are shown once at creation; only their SHA-256 hashes are stored. */
public final class UserStore {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbc jdbc;
    private final List<Consumer<String>> revocationListeners = new CopyOnWriteArrayList<>();

    /** @param db the open database */
    public UserStore(Database db) {
        this.jdbc = new Jdbc(db);
    }

    /**
     * Adds a user and issues a first token.
     *
     * @return the plain token (shown once)
     * @throws IllegalArgumentException for a bad or taken name
     */
    public synchronized String add(String name, Role role) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("user name '" + name + "' is invalid: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (find(name).isPresent()) {
            throw new IllegalArgumentException("user '" + name + "' already exists");
        }
        long id = jdbc.insertReturningKey("INSERT INTO users(name, role, created_at) VALUES (?, ?, ?)",
                name, role.name(), Instant.now());
        return issue(id);
    }

    /** Issues another token for an active user. */
    public synchronized String issueToken(String name) {
        User user = find(name).filter(User::active)
                .orElseThrow(() -> new IllegalArgumentException("no active user named '" + name + "'"));
        return issue(user.id());
    }

    /** Revokes a user: every token stops working at once. */
    public synchronized void revoke(String name) {
        User user = find(name).orElseThrow(() -> new IllegalArgumentException("no user named '" + name + "'"));
        if (!user.active()) {
            throw new IllegalArgumentException("user '" + name + "' is already revoked");
        }
        jdbc.update("UPDATE users SET revoked_at = ? WHERE id = ?", Instant.now(), user.id());
        jdbc.update("DELETE FROM tokens WHERE user_id = ?", user.id());
        for (Consumer<String> listener : revocationListeners) {
            listener.accept(name);
        }
    }

    /** Calls {@code listener} with the user's name after every revocation (for example to end open event streams). */
    public void addRevocationListener(Consumer<String> listener) {
        revocationListeners.add(listener);
    }

    /** Removes a revocation listener. */
    public void removeRevocationListener(Consumer<String> listener) {
        revocationListeners.remove(listener);
    }

    /** All users, oldest first. */
    public List<User> list() {
        return jdbc.query("SELECT * FROM users ORDER BY id", UserStore::user);
    }

    /** The user named {@code name}. */
    public Optional<User> find(String name) {
        return Optional.ofNullable(jdbc.queryOne("SELECT * FROM users WHERE name = ?", UserStore::user, name));
    }

    /** The active user holding {@code token}, if any. */
    public Optional<User> authenticate(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(jdbc.queryOne(
                "SELECT u.* FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND u.revoked_at IS NULL",
                UserStore::user, hash(token)));
    }

    /** Whether no user exists yet (first start). */
    public boolean isEmpty() {
        return jdbc.queryOne("SELECT COUNT(*) FROM users", rs -> rs.getLong(1)) == 0;
    }

    private String issue(long userId) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = "pur_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        jdbc.update("INSERT INTO tokens(token_hash, user_id, created_at) VALUES (?, ?, ?)", hash(token), userId, Instant.now());
        return token;
    }

    static String hash(String token) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static User user(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new User(rs.getLong("id"), rs.getString("name"), Role.valueOf(rs.getString("role")),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "revoked_at"));
    }
}
