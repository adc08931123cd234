package io.mhaserverless.functions;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.env.EnvironmentPropertySource;
import io.micronaut.context.env.PropertySource;
import io.mhaserverless.functions.aws.AwsClients;
import io.mhaserverless.functions.aws.AwsSettings;
import java.util.Map;

/**
 * The functions' Micronaut context: built once per container (in the handler's constructor, so at
 * Lambda init and before a SnapStart checkpoint), from the environment variables the CDK stack
 * sets. Every bean it holds is generated at compile time (micronaut-inject-java); nothing is found
 * by classpath scanning or reflection. Tests and the end-to-end suite start it with
 * {@link #builder()} and their own properties (endpoints, timeouts) and singletons (credentials).
 */
public final class FunctionContext {

    /**
     * The defaults of the settings that are not text, overridden by their variables
     * (mha.wait-timeout-seconds by MHA_WAIT_TIMEOUT_SECONDS). They are a property source of their
     * own, not {@code @Bindable} defaults, because Micronaut falls back to a {@code @Bindable}
     * default silently when a given value does not convert; here such a value fails the start.
     */
    public static final Map<String, Object> DEFAULTS = Map.of(
            "mha.wait-timeout-seconds", 60,
            "mha.aws.api-call-timeout-ms", AwsClients.DEFAULT_API_CALL_TIMEOUT.toMillis(),
            "mha.aws.attempt-timeout-ms", AwsClients.DEFAULT_ATTEMPT_TIMEOUT.toMillis(),
            "mha.aws.connect-timeout-ms", AwsClients.DEFAULT_CONNECT_TIMEOUT.toMillis(),
            "mha.aws.max-attempts", AwsClients.DEFAULT_MAX_ATTEMPTS);
    /** Below every other source. */
    private static final int DEFAULTS_ORDER = -1000;

    private FunctionContext() {
    }

    /** What Lambda runs: the defaults and the environment variables, nothing else. */
    public static ApplicationContext start() {
        return start(builder().propertySources(new EnvironmentPropertySource()));
    }

    /**
     * Starts the context (which builds every singleton: the SnapStart hook is eager and needs them
     * all), so that a missing or malformed variable fails here, at init, naming the variable.
     */
    public static ApplicationContext start(ApplicationContextBuilder builder) {
        ApplicationContext context;
        try {
            context = builder.start();
        } catch (RuntimeException e) {
            throw SettingsFailure.of(e);
        }
        try {
            context.getBean(FunctionSettings.class);
            context.getBean(AwsSettings.class);
            return context;
        } catch (RuntimeException e) {
            context.close();
            throw SettingsFailure.of(e);
        }
    }

    /**
     * The context without the environment: {@link #DEFAULTS} only, plus what the caller adds. No
     * configuration files, system properties or environment deduction are looked for (measured:
     * Micronaut's default property sources cost a cold start about 20 ms and the function has
     * no use for them), and no banner. The environment name {@code function} is the one
     * Micronaut's own Lambda support uses.
     */
    public static ApplicationContextBuilder builder() {
        return ApplicationContext.builder()
                .environments("function")
                .deduceEnvironment(false)
                .deduceCloudEnvironment(false)
                .enableDefaultPropertySources(false)
                .propertySources(PropertySource.of("mha-defaults", DEFAULTS, DEFAULTS_ORDER))
                .banner(false);
    }
}
