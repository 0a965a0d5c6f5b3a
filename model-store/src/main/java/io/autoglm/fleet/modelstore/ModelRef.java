package io.autoglm.fleet.modelstore;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a caller asks for: {@code name}, {@code name@version} or {@code name@alias}. A bare name means
 * the {@value #DEFAULT_ALIAS} alias, so callers follow promotions without naming versions.
 *
 * @param name    the model name
 * @param version a pinned version, or null
 * @param alias   the alias to follow, or null when a version is pinned
 */
public record ModelRef(String name, Integer version, String alias) {

    public static final String DEFAULT_ALIAS = "stable";

    /** Model names: as the event contract's {@code modelName}. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    /** Aliases: lowercase words, as the event contract's alias. */
    public static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,8}");

    public ModelRef {
        checkName(name);
        if ((version == null) == (alias == null)) {
            throw new IllegalArgumentException("a model reference names either a version or an alias");
        }
        if (version != null) {
            checkVersion(version);
        } else {
            checkAlias(alias);
        }
    }

    public static ModelRef parse(String text) {
        Objects.requireNonNull(text, "text");
        int at = text.indexOf('@');
        if (at < 0) {
            return new ModelRef(text, null, DEFAULT_ALIAS);
        }
        String name = text.substring(0, at);
        String selector = text.substring(at + 1);
        if (VERSION.matcher(selector).matches()) {
            return new ModelRef(name, Integer.valueOf(selector), null);
        }
        if (ALIAS.matcher(selector).matches()) {
            return new ModelRef(name, null, selector);
        }
        throw new IllegalArgumentException("'" + text + "' is not name, name@version or name@alias: after '@' comes a version "
                + "(a positive integer) or an alias (lowercase letters, digits, '-', starting with a letter)");
    }

    public static ModelRef version(String name, int version) {
        return new ModelRef(name, version, null);
    }

    public static ModelRef alias(String name, String alias) {
        return new ModelRef(name, null, alias);
    }

    public boolean pinned() {
        return version != null;
    }

    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("model name must be 1-64 lowercase letters, digits, '.', '_' or '-' "
                    + "starting with a letter or digit, got '" + name + "'");
        }
        return name;
    }

    public static String checkAlias(String alias) {
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw new IllegalArgumentException("alias must be 1-32 lowercase letters, digits or '-' starting with a letter, got '"
                    + alias + "'");
        }
        return alias;
    }

    public static int checkVersion(int version) {
        if (version < 1 || version > 999_999_999) {
            throw new IllegalArgumentException("versions are positive integers (1-999999999), got " + version);
        }
        return version;
    }

    @Override
    public String toString() {
        return name + "@" + (version != null ? version.toString() : alias);
    }
}
