package io.mhaserverless.functions.aws;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.config.Names;
import java.util.List;
import io.mhaserverless.core.port.ConfigSource;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * {@link ConfigSource} on SSM Parameter Store: the cluster's YAML is the parameter
 * {@code <prefix><cluster>} (e.g. {@code /mha/clusters/app1}), read with decryption so it may be a
 * SecureString. Config errors name the source as {@code ssm:<parameter>}, with the line and key.
 */
public final class ParameterStoreConfigSource implements ConfigSource {

    public static final String DEFAULT_PREFIX = "/mha/clusters/";

    private final SsmClient ssm;
    private final String prefix;

    public ParameterStoreConfigSource(SsmClient ssm, String prefix) {
        this.ssm = ssm;
        this.prefix = prefix;
    }

    @Override
    public ClusterConfig load(String cluster) {
        String name = prefix + cluster;
        String yaml;
        try {
            yaml = ssm.getParameter(r -> r.name(name).withDecryption(true)).parameter().value();
        } catch (ParameterNotFoundException e) {
            throw new FatalFailure("SSM", "GetParameter", AwsErrors.code(e),
                    "no config for cluster " + cluster + ": SSM parameter " + name + " does not exist (ParameterNotFound)", e);
        } catch (SdkException e) {
            throw AwsErrors.map("SSM", "GetParameter", e);
        }
        return ConfigLoader.parseYaml(yaml, "ssm:" + name);
    }

    /**
     * The clusters configured under the prefix, by name, sorted: what one probe invocation watches.
     * A parameter whose name is no cluster name is left out (and cannot be loaded either).
     */
    public List<String> clusters() {
        String path = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        try {
            return ssm.getParametersByPathPaginator(r -> r.path(path).recursive(false)).stream().flatMap(page -> page.parameters().stream())
                    .map(p -> p.name().substring(path.length() + 1)).filter(Names::valid).sorted().toList();
        } catch (SdkException e) {
            throw AwsErrors.map("SSM", "GetParametersByPath", e);
        }
    }

    /** A config parameter's text and version, for an edit that writes it back ({@code mha config}). */
    public record Stored(String name, String text, long version) {
    }

    /** The config text of one parameter, named in full (e.g. {@code /mha/clusters/app1}). */
    public Stored read(String parameter) {
        try {
            var p = ssm.getParameter(r -> r.name(parameter).withDecryption(true)).parameter();
            return new Stored(parameter, p.value(), p.version());
        } catch (ParameterNotFoundException e) {
            throw new FatalFailure("SSM", "GetParameter", AwsErrors.code(e), "SSM parameter " + parameter + " does not exist (ParameterNotFound)", e);
        } catch (SdkException e) {
            throw AwsErrors.map("SSM", "GetParameter", e);
        }
    }

    /**
     * Writes an edited config back over {@code before}. Type and KMS key are left as they are (no Type
     * on an overwrite); a version other than the next one means someone else wrote in between, which
     * the caller is told, so that the two edits are looked at rather than one silently lost.
     *
     * @return the new version
     */
    public long write(Stored before, String text) {
        long version;
        try {
            version = ssm.putParameter(r -> r.name(before.name()).value(text).overwrite(true)).version();
        } catch (SdkException e) {
            throw AwsErrors.map("SSM", "PutParameter", e);
        }
        if (version != before.version() + 1) {
            throw new FatalFailure("SSM", "PutParameter", "ConcurrentEdit", "SSM parameter " + before.name() + " was at version "
                    + before.version() + " when read and is now at " + version + ": another edit happened in between; "
                    + "run `mha config show` and check both", null);
        }
        return version;
    }

    public String parameterName(String cluster) {
        return prefix + cluster;
    }
}
