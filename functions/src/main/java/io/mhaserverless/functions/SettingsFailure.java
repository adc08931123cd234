package io.mhaserverless.functions;

import io.micronaut.context.exceptions.ConfigurationException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A setting the context could not bind, said in the operator's terms: the environment variable,
 * not the property or the bean. Micronaut reports a value that does not convert as "Error
 * resolving property value [mha.wait-timeout-seconds]. Unable to convert …"; the variable that
 * supplies a property is its name in upper case with '.' and '-' as '_'.
 */
final class SettingsFailure {

    private static final Pattern UNCONVERTIBLE = Pattern.compile("Error resolving property value \\[(?:\\$\\{)?([a-z0-9.-]+)[^]]*]\\.\\s*(.*)");

    private SettingsFailure() {
    }

    static ConfigurationException of(RuntimeException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException ours && ours.getMessage().startsWith("environment variable ")) {
                return new ConfigurationException(ours.getMessage(), failure);
            }
        }
        Matcher m = UNCONVERTIBLE.matcher(String.valueOf(failure.getMessage()));
        if (m.find()) {
            String property = m.group(1);
            return new ConfigurationException("environment variable " + variable(property) + " (" + property + "): "
                    + m.group(2).lines().findFirst().orElse(""), failure);
        }
        return new ConfigurationException("the functions' context did not start: " + failure.getMessage(), failure);
    }

    static String variable(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
