package io.mhaserverless.functions;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.mhaserverless.functions.aws.AwsSettings;

/**
 * The functions' Micronaut context: built once per container (in the handler's constructor, so at
 * Lambda init and before a SnapStart checkpoint), from the environment variables the CDK stack
 * sets. Every bean it holds is generated at compile time (micronaut-inject-java); nothing is found
 * by classpath scanning or reflection. Tests and the end-to-end suite start it with
 * {@link #builder()} and their own properties (endpoints, timeouts) and singletons (credentials).
 */
public final class FunctionContext {

    private FunctionContext() {
    }

    /** What Lambda runs: properties from the environment only. */
    public static ApplicationContext start() {
        return start(builder());
    }

    /**
     * Starts the context and resolves the settings first, so that a missing or malformed variable
     * fails here, at init, naming the variable.
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
     * No environment deduction (it would probe for clouds and read files) and no banner. The
     * environment name {@code function} is what Micronaut's own Lambda support uses too.
     */
    public static ApplicationContextBuilder builder() {
        return ApplicationContext.builder()
                .environments("function")
                .deduceEnvironment(false)
                .deduceCloudEnvironment(false)
                .banner(false);
    }
}
