package io.mhaserverless.core.config;

import java.util.regex.Pattern;

/**
 * What a cluster or server name may be, wherever one arrives: the config file, the execution input,
 * {@code mha ack}. One rule, so a name the config accepts is never refused later (it becomes part of
 * DynamoDB keys, Parameter Store paths and file names, hence no '/' or spaces).
 */
public final class Names {

    /** Said to the user when a name is refused. */
    public static final String RULE = "letters, digits, '.', '_', '-', starting with a letter or digit; at most 64";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private Names() {
    }

    public static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
